// Shared by attention_forward.wgsl and attention_grad_query.wgsl (prepended to each): the
// workgroup's tile of keys and values, TILE rows from token `start` of one head, zeros past
// the last token. Callers put barriers around it. Needs qkv, DH4, TILE and ROWS.

var<workgroup> tile_keys: array<vec4<f32>, TILE * DH4>;
var<workgroup> tile_values: array<vec4<f32>, TILE * DH4>;

fn load_key_value_tile(start: u32, tokens: u32, first_token: u32, head: u32, heads: u32, lane: u32) {
    let token_stride = 3u * heads * DH4;
    for (var e = lane; e < TILE * DH4; e += ROWS) {
        let key = start + e / DH4;
        var k = vec4<f32>(0.0);
        var v = vec4<f32>(0.0);
        if (key < tokens) {
            let at = (first_token + key) * token_stride + head * DH4 + e % DH4;
            k = qkv[at + heads * DH4];
            v = qkv[at + 2u * heads * DH4];
        }
        tile_keys[e] = k;
        tile_values[e] = v;
    }
}

