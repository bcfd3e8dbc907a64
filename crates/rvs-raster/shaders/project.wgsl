// Stage 1: project every (camera, splat) pair. One thread per pair, splat-major
// (pair = splat * num_cams + camera): neighbouring threads share a splat, so its data and
// SH are read from memory once for all cameras instead of once per camera.
// Writes the 2D splat, its colour for that view, how many tiles it touches, its depth
// sort key, and a visibility flag to scan for compaction. Culled pairs write zeros.

@group(0) @binding(0) var<uniform> params: RasterParams;
@group(0) @binding(1) var<storage, read> cameras: array<Camera>;
// [num_splats, 3] vec4: (mean.xyz, opacity), (Σxx, Σxy, Σxz, Σyy), (Σyz, Σzz, 0, 0)
@group(0) @binding(2) var<storage, read> splats3d: array<vec4<f32>>;
@group(0) @binding(4) var<storage, read_write> projected: array<vec4<f32>>; // [num_pairs, 3]
@group(0) @binding(5) var<storage, read_write> tiles_touched: array<u32>;   // [num_pairs]
@group(0) @binding(6) var<storage, read_write> depth_keys: array<u32>;      // [num_pairs]
@group(0) @binding(7) var<storage, read_write> visible_scan: array<u32>;    // [num_pairs + 1]

fn cull(pair: u32) {
    tiles_touched[pair] = 0u;
    depth_keys[pair] = CULLED_DEPTH_KEY;
    visible_scan[pair] = 0u;
}

@compute @workgroup_size(256)
fn project(@builtin(local_invocation_index) lid: u32, @builtin(workgroup_id) wid: vec3<u32>) {
    let pair = linear_group(wid, params.groups_x) * 256u + lid;
    if (pair >= params.num_pairs) {
        return;
    }
    let splat = pair / params.num_cams;
    let cam_index = pair - splat * params.num_cams;
    let cam = cameras[cam_index];
    let a = splats3d[splat * 3u];
    let s0 = splats3d[splat * 3u + 1u];
    let s1 = splats3d[splat * 3u + 2u];

    let mean = a.xyz;
    let p = vec3<f32>(dot(cam.row0.xyz, mean) + cam.row0.w, dot(cam.row1.xyz, mean) + cam.row1.w, dot(cam.row2.xyz, mean) + cam.row2.w);
    if (p.z < NEAR_PLANE || p.z > FAR_PLANE) {
        cull(pair);
        return;
    }
    // Σ_cam = R Σ Rᵀ
    let sigma = mat3x3<f32>(vec3<f32>(s0.x, s0.y, s0.z), vec3<f32>(s0.y, s0.w, s1.x), vec3<f32>(s0.z, s1.x, s1.y));
    let r = transpose(mat3x3<f32>(cam.row0.xyz, cam.row1.xyz, cam.row2.xyz)); // columns of R
    let sigma_cam = r * sigma * transpose(r);

    // EWA: perspective Jacobian with gsplat's clamp of x/z, y/z to 1.3× the frustum.
    let fx = cam.focal_center.x;
    let fy = cam.focal_center.y;
    let cx = cam.focal_center.z;
    let cy = cam.focal_center.w;
    let w = f32(params.width);
    let h = f32(params.height);
    let tan_fovx = 0.5 * w / fx;
    let tan_fovy = 0.5 * h / fy;
    let lim_x_pos = (w - cx) / fx + 0.3 * tan_fovx;
    let lim_x_neg = cx / fx + 0.3 * tan_fovx;
    let lim_y_pos = (h - cy) / fy + 0.3 * tan_fovy;
    let lim_y_neg = cy / fy + 0.3 * tan_fovy;
    let rz = 1.0 / p.z;
    let rz2 = rz * rz;
    let tx = p.z * min(lim_x_pos, max(-lim_x_neg, p.x * rz));
    let ty = p.z * min(lim_y_pos, max(-lim_y_neg, p.y * rz));
    // J is 2×3; as a WGSL mat3x2 its three columns are the derivatives by x, y, z.
    let j = mat3x2<f32>(vec2<f32>(fx * rz, 0.0), vec2<f32>(0.0, fy * rz), vec2<f32>(-fx * tx * rz2, -fy * ty * rz2));
    let cov = j * sigma_cam * transpose(j);
    var c00 = cov[0][0];
    let c01 = cov[1][0];
    var c11 = cov[1][1];
    let det_orig = c00 * c11 - c01 * c01;
    c00 += EPS_2D;
    c11 += EPS_2D;
    let det = c00 * c11 - c01 * c01;
    if (!(det > 0.0)) {
        cull(pair);
        return;
    }
    var opacity = a.w;
    if (params.antialiased == 1u) {
        opacity *= sqrt(max(0.0, det_orig / det));
    }
    if (opacity < ALPHA_THRESHOLD) {
        cull(pair);
        return;
    }
    // Opacity-aware extent: beyond it alpha < 1/255 and blending skips the pixel anyway.
    let extend = min(3.33, sqrt(2.0 * log(opacity / ALPHA_THRESHOLD)));
    // Clamped to what the 16-bit packing below keeps, so every stage sees the same rect.
    let radius = min(vec2<f32>(ceil(extend * sqrt(c00)), ceil(extend * sqrt(c11))), vec2<f32>(65535.0));
    let mean2d = vec2<f32>(fx * p.x * rz + cx, fy * p.y * rz + cy);
    if (radius.x <= 0.0 && radius.y <= 0.0) {
        cull(pair);
        return;
    }
    if (mean2d.x + radius.x <= 0.0 || mean2d.x - radius.x >= w || mean2d.y + radius.y <= 0.0 || mean2d.y - radius.y >= h) {
        cull(pair);
        return;
    }
    let rect = tile_rect(mean2d, radius, vec2<u32>(params.tiles_x, params.tiles_y));
    let conic = vec3<f32>(c11 / det, -c01 / det, c00 / det);
    let size = vec2<u32>(params.width, params.height);
    var count = 0u;
    for (var ty = rect.y; ty < rect.w; ty++) {
        for (var tx = rect.x; tx < rect.z; tx++) {
            count += u32(tile_touches(vec2<u32>(tx, ty), mean2d, conic, opacity, size));
        }
    }
    if (count == 0u) {
        cull(pair);
        return;
    }
    let dir = normalize(mean - cam.position.xyz);
    let color = sh_to_color(splat, params.sh_coeffs, params.num_splats, dir);
    let radii_bits = u32(radius.x) | (u32(radius.y) << 16u);
    projected[pair * 3u] = vec4<f32>(mean2d, opacity, p.z);
    projected[pair * 3u + 1u] = vec4<f32>(conic, bitcast<f32>(radii_bits));
    projected[pair * 3u + 2u] = vec4<f32>(color, 0.0);
    tiles_touched[pair] = count;
    depth_keys[pair] = bitcast<u32>(p.z);
    visible_scan[pair] = 1u;
}
