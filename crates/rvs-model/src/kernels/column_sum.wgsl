// Sums over the rows of [rows, columns], first stage: workgroup g adds up rows
// g, g + groups, g + 2·groups, ... for every column (a thread per column, coalesced loads)
// into partial[g, column]; the caller sums the partials. The gradient of a bias added to
// every token is such a column sum over batch × tokens rows, which Burn reduced with one
// thread per column.
//   params: rows, columns

const THREADS: u32 = 256u;

@group(0) @binding(0) var<storage, read> values: array<f32>;
@group(0) @binding(1) var<storage, read> params: array<u32>;
@group(0) @binding(2) var<storage, read_write> partial: array<f32>;

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) group: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>, @builtin(local_invocation_index) lane: u32) {
    let rows = params[0];
    let columns = params[1];
    for (var column = lane; column < columns; column += THREADS) {
        var total = 0.0;
        for (var row = group.x; row < rows; row += groups.x) {
            total += values[row * columns + column];
        }
        partial[group.x * columns + column] = total;
    }
}
