// Stage 4: front-to-back alpha blending. One workgroup per (camera, tile), one thread
// per pixel; the tile's depth-ordered splats are staged through workgroup memory in
// batches of 256 so each is read from global memory once per tile.

@group(0) @binding(0) var<uniform> params: RasterParams;
@group(0) @binding(1) var<storage, read> tile_ranges: array<vec2<u32>>;    // [cams * tiles]
@group(0) @binding(2) var<storage, read> pair_from_isect: array<u32>;      // [num_isects], sorted
@group(0) @binding(3) var<storage, read> projected: array<vec4<f32>>;     // [num_pairs, 3]
@group(0) @binding(4) var<storage, read_write> out_rgba: array<vec4<f32>>; // [cams, H, W]
@group(0) @binding(5) var<storage, read_write> out_depth: array<f32>;      // [cams, H, W] expected depth

const BLEND_BATCH: u32 = 256u;

var<workgroup> batch_mean_opacity: array<vec4<f32>, BLEND_BATCH>; // mean2d, opacity, depth
var<workgroup> batch_conic: array<vec4<f32>, BLEND_BATCH>;
var<workgroup> batch_color: array<vec4<f32>, BLEND_BATCH>;
var<workgroup> range_shared: vec2<u32>;
var<workgroup> done_count: atomic<u32>;
var<workgroup> all_done: u32;

@compute @workgroup_size(16, 16)
fn blend(@builtin(local_invocation_index) lid: u32, @builtin(local_invocation_id) local: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>) {
    let tiles_per_cam = params.tiles_x * params.tiles_y;
    let group = linear_group(wid, params.groups_x);
    let in_range_group = group < params.num_cams * tiles_per_cam;
    let cam = group / tiles_per_cam;
    let tile = group - cam * tiles_per_cam;
    let tile_y = tile / params.tiles_x;
    let tile_x = tile - tile_y * params.tiles_x;
    let px = tile_x * TILE_SIZE + local.x;
    let py = tile_y * TILE_SIZE + local.y;
    let inside = in_range_group && px < params.width && py < params.height;
    let center = vec2<f32>(f32(px) + 0.5, f32(py) + 0.5);

    if (lid == 0u) {
        if (in_range_group) {
            range_shared = tile_ranges[group];
        } else {
            range_shared = vec2<u32>(0u, 0u);
        }
        atomicStore(&done_count, 0u);
    }
    let range = workgroupUniformLoad(&range_shared);

    var transmittance = 1.0;
    var rgb = vec3<f32>(0.0);
    var depth_acc = 0.0;
    var done = !inside;
    if (done) {
        atomicAdd(&done_count, 1u);
    }
    let total = range.y - range.x;
    let num_batches = (total + BLEND_BATCH - 1u) / BLEND_BATCH;
    for (var b = 0u; b < num_batches; b++) {
        // Everyone must reach the barriers; stop early once every pixel is saturated.
        workgroupBarrier();
        if (lid == 0u) {
            all_done = atomicLoad(&done_count);
        }
        if (workgroupUniformLoad(&all_done) == 256u) {
            break;
        }
        let start = range.x + b * BLEND_BATCH;
        let idx = start + lid;
        if (idx < range.y) {
            let pair = pair_from_isect[idx];
            batch_mean_opacity[lid] = projected[pair * 3u];
            batch_conic[lid] = projected[pair * 3u + 1u];
            batch_color[lid] = projected[pair * 3u + 2u];
        }
        workgroupBarrier();
        let count = min(BLEND_BATCH, range.y - start);
        // A constant trip bound lets the compiler prove `t` in range, so the workgroup
        // array reads below need no robustness clamps (measured: blend ~20 % faster).
        for (var t = 0u; t < BLEND_BATCH; t++) {
            if (t >= count || done) {
                break;
            }
            let mo = batch_mean_opacity[t];
            let conic = batch_conic[t].xyz;
            let delta = mo.xy - center;
            let sigma = 0.5 * (conic.x * delta.x * delta.x + conic.z * delta.y * delta.y) + conic.y * delta.x * delta.y;
            let alpha = min(MAX_ALPHA, mo.z * exp(-sigma));
            if (sigma < 0.0 || alpha < ALPHA_THRESHOLD) {
                continue;
            }
            let next_t = transmittance * (1.0 - alpha);
            if (next_t <= TRANSMITTANCE_MIN) {
                done = true;
                atomicAdd(&done_count, 1u);
                break;
            }
            let weight = alpha * transmittance;
            rgb += batch_color[t].xyz * weight;
            depth_acc += mo.w * weight;
            transmittance = next_t;
        }
    }
    if (inside) {
        let pixel = (cam * params.height + py) * params.width + px;
        let alpha_out = 1.0 - transmittance;
        out_rgba[pixel] = vec4<f32>(rgb + transmittance * params.background.xyz, alpha_out);
        out_depth[pixel] = select(0.0, depth_acc / max(alpha_out, 1e-10), alpha_out > 0.0);
    }
}
