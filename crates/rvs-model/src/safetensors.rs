//! The safetensors container (8-byte little-endian header length, JSON header, raw data),
//! written here rather than pulled in: we need F32 and U8 only, plus the metadata map.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

pub struct Entry {
    pub dtype: &'static str,
    pub shape: Vec<usize>,
    pub bytes: Vec<u8>,
}

pub fn f32_entry(shape: Vec<usize>, values: &[f32]) -> Entry {
    Entry { dtype: "F32", shape, bytes: values.iter().flat_map(|v| v.to_le_bytes()).collect() }
}

/// Tensors are written in name order so equal content gives equal files.
pub fn encode(tensors: &BTreeMap<String, Entry>, metadata: &BTreeMap<String, String>) -> Vec<u8> {
    let mut header = Map::new();
    if !metadata.is_empty() {
        header.insert("__metadata__".into(), json!(metadata));
    }
    let mut offset = 0usize;
    for (name, entry) in tensors {
        let end = offset + entry.bytes.len();
        header.insert(name.clone(), json!({"dtype": entry.dtype, "shape": entry.shape, "data_offsets": [offset, end]}));
        offset = end;
    }
    let mut header = serde_json::to_vec(&Value::Object(header)).expect("header serialises");
    // Pad so the data starts 8-byte aligned, as the reference implementation does.
    while header.len() % 8 != 0 {
        header.push(b' ');
    }
    let mut out = Vec::with_capacity(8 + header.len() + offset);
    out.extend_from_slice(&(header.len() as u64).to_le_bytes());
    out.extend_from_slice(&header);
    for entry in tensors.values() {
        out.extend_from_slice(&entry.bytes);
    }
    out
}

pub struct Decoded {
    pub tensors: BTreeMap<String, Entry>,
    pub metadata: BTreeMap<String, String>,
}

fn element_size(dtype: &str) -> Option<usize> {
    Some(match dtype {
        "F64" | "I64" | "U64" => 8,
        "F32" | "I32" | "U32" => 4,
        "F16" | "BF16" | "I16" | "U16" => 2,
        "U8" | "I8" | "BOOL" => 1,
        _ => return None,
    })
}

pub fn decode(bytes: &[u8]) -> Result<Decoded, String> {
    let len_bytes: [u8; 8] = bytes.get(..8).ok_or("safetensors: file shorter than its 8-byte header length")?.try_into().unwrap();
    let header_len = u64::from_le_bytes(len_bytes);
    let data_start = 8u64.checked_add(header_len).filter(|&e| e <= bytes.len() as u64).ok_or_else(|| {
        format!("safetensors: header length {header_len} runs past the end of the {}-byte file (truncated?)", bytes.len())
    })? as usize;
    let header: Value = serde_json::from_slice(&bytes[8..data_start]).map_err(|e| format!("safetensors: header is not JSON: {e}"))?;
    let Value::Object(header) = header else { return Err("safetensors: header is not a JSON object".into()) };
    let data = &bytes[data_start..];
    let mut out = Decoded { tensors: BTreeMap::new(), metadata: BTreeMap::new() };
    for (name, info) in header {
        if name == "__metadata__" {
            let Value::Object(map) = info else { return Err("safetensors: __metadata__ is not an object".into()) };
            for (k, v) in map {
                let Value::String(v) = v else { return Err(format!("safetensors: metadata {k} is not a string")) };
                out.metadata.insert(k, v);
            }
            continue;
        }
        let bad = |what: &str| format!("safetensors: tensor {name}: {what}");
        let dtype = info["dtype"].as_str().ok_or_else(|| bad("missing dtype"))?;
        let size = element_size(dtype).ok_or_else(|| bad(&format!("unknown dtype {dtype}")))?;
        let dtype: &'static str = match dtype { "F32" => "F32", "U8" => "U8", "F16" => "F16", "BF16" => "BF16", "F64" => "F64", "I64" => "I64", other => return Err(bad(&format!("dtype {other} is not supported (F32, F16, BF16, F64, U8, I64 are)"))) };
        let shape: Vec<usize> = info["shape"].as_array().ok_or_else(|| bad("missing shape"))?
            .iter().map(|d| d.as_u64().map(|d| d as usize).ok_or_else(|| bad("shape entries must be non-negative integers"))).collect::<Result<_, _>>()?;
        let offsets = info["data_offsets"].as_array().filter(|a| a.len() == 2).ok_or_else(|| bad("data_offsets must be [begin, end]"))?;
        let (begin, end) = (offsets[0].as_u64().unwrap_or(u64::MAX) as usize, offsets[1].as_u64().unwrap_or(u64::MAX) as usize);
        if begin > end || end > data.len() {
            return Err(bad(&format!("data [{begin}, {end}) lies outside the {} data bytes (truncated?)", data.len())));
        }
        let expected = shape.iter().try_fold(size, |acc, &d| acc.checked_mul(d)).ok_or_else(|| bad("shape overflows"))?;
        if end - begin != expected {
            return Err(bad(&format!("{} bytes for shape {shape:?} of {dtype}, expected {expected}", end - begin)));
        }
        out.tensors.insert(name, Entry { dtype, shape, bytes: data[begin..end].to_vec() });
    }
    Ok(out)
}

/// Converts F32, F16, BF16 and F64 tensors to f32 values.
pub fn to_f32(entry: &Entry) -> Result<Vec<f32>, String> {
    let b = &entry.bytes;
    Ok(match entry.dtype {
        "F32" => b.chunks_exact(4).map(|c| f32::from_le_bytes(c.try_into().unwrap())).collect(),
        "F64" => b.chunks_exact(8).map(|c| f64::from_le_bytes(c.try_into().unwrap()) as f32).collect(),
        "BF16" => b.chunks_exact(2).map(|c| f32::from_bits((u16::from_le_bytes([c[0], c[1]]) as u32) << 16)).collect(),
        "F16" => b.chunks_exact(2).map(|c| f16_to_f32(u16::from_le_bytes([c[0], c[1]]))).collect(),
        other => return Err(format!("{other} tensor where floats were expected")),
    })
}

fn f16_to_f32(h: u16) -> f32 {
    let sign = ((h >> 15) as u32) << 31;
    let exp = ((h >> 10) & 0x1f) as i32;
    let frac = (h & 0x3ff) as u32;
    let bits = match exp {
        0 if frac == 0 => sign,
        0 => return (if sign != 0 { -1.0 } else { 1.0 }) * frac as f32 * 2f32.powi(-24),
        31 => sign | 0x7f80_0000 | (frac << 13),
        _ => sign | (((exp - 15 + 127) as u32) << 23) | (frac << 13),
    };
    f32::from_bits(bits)
}
