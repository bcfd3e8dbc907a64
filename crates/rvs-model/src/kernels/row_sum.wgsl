// Sums along each row of [rows, length] (PRODUCT: of a·b, else of a), one workgroup per row.
// Burn's reduction gave each row one thread (three workgroups for a batch's 768 rows of a
// 120×214 feature map); here 256 threads read a row with coalesced loads and add in a tree.
//   params: rows, length

const THREADS: u32 = 256u;
const PRODUCT: bool = {{ product }};

@group(0) @binding(0) var<storage, read> a: array<f32>;
@group(0) @binding(1) var<storage, read> b: array<f32>;
@group(0) @binding(2) var<storage, read> params: array<u32>;
@group(0) @binding(3) var<storage, read_write> sums: array<f32>;

var<workgroup> partial: array<f32, THREADS>;

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) group: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>, @builtin(local_invocation_index) lane: u32) {
    let rows = params[0];
    let length = params[1];
    // Workgroups stride over the rows (the loop bound is uniform: barriers inside are fine).
    for (var row = group.x; row < rows; row += groups.x) {
        let start = row * length;
        var total = 0.0;
        for (var i = lane; i < length; i += THREADS) {
            if (PRODUCT) {
                total += a[start + i] * b[start + i];
            } else {
                total += a[start + i];
            }
        }
        workgroupBarrier();
        partial[lane] = total;
        for (var half = THREADS / 2u; half > 0u; half /= 2u) {
            workgroupBarrier();
            if (lane < half) {
                partial[lane] += partial[lane + half];
            }
        }
        if (lane == 0u) {
            sums[row] = partial[0];
        }
    }
}
