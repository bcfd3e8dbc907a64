//! `rvs-reference`: renders reference images on the CPU for the TypeScript GPU tests,
//! and writes the demo scene.
//!
//! ```text
//! rvs-reference --scene FILE(.ply|.splat) --cameras cams.json --width W --height H
//!               [--sh-degree D] [--background r,g,b] [--mode classic|antialiased] --out OUT.bin
//! rvs-reference demo --out scene.ply [--seed S]
//! ```
//! cams.json is `{"viewmats": [[16 floats], ...], "Ks": [[9 floats], ...]}` (row-major;
//! nested 4×4 / 3×3 arrays are accepted too). OUT.bin holds, per camera in order, RGB
//! `H*W*3`, then alpha `H*W`, then expected depth `H*W`, all little-endian f32.
//! A one-line JSON summary goes to stdout.

use std::collections::HashMap;
use std::process::ExitCode;

use rvs_splat::reference::project_and_sort;
use rvs_splat::{
    Camera, RasterMode, RenderSettings, demo_scene, detect_and_parse, render, write_ply,
};
use serde_json::{Value, json};

const USAGE: &str = "usage:
  rvs-reference --scene FILE --cameras cams.json --width W --height H [--sh-degree D] [--background r,g,b] [--mode classic|antialiased] --out OUT.bin
  rvs-reference demo --out scene.ply [--seed S]";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("demo") => parse_flags(&args[1..]).and_then(|flags| write_demo(&flags)),
        Some("--help" | "-h") | None => Err(USAGE.to_string()),
        Some(_) => parse_flags(&args).and_then(|flags| render_cameras(&flags)),
    };
    match result {
        Ok(summary) => {
            println!("{summary}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("rvs-reference: {message}");
            ExitCode::FAILURE
        }
    }
}

/// `--name value` pairs; every flag takes exactly one value.
fn parse_flags(args: &[String]) -> Result<HashMap<String, String>, String> {
    let mut flags = HashMap::new();
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        let name = arg
            .strip_prefix("--")
            .ok_or_else(|| format!("unexpected argument \"{arg}\"\n{USAGE}"))?;
        let value = rest
            .next()
            .ok_or_else(|| format!("--{name} needs a value\n{USAGE}"))?;
        flags.insert(name.to_string(), value.clone());
    }
    Ok(flags)
}

fn required<'a>(flags: &'a HashMap<String, String>, name: &str) -> Result<&'a str, String> {
    flags
        .get(name)
        .map(String::as_str)
        .ok_or_else(|| format!("missing --{name}\n{USAGE}"))
}

fn parsed<T: std::str::FromStr>(
    flags: &HashMap<String, String>,
    name: &str,
) -> Result<Option<T>, String> {
    flags
        .get(name)
        .map(|v| {
            v.parse::<T>()
                .map_err(|_| format!("--{name} \"{v}\" is not a valid value"))
        })
        .transpose()
}

fn write_demo(flags: &HashMap<String, String>) -> Result<Value, String> {
    let out = required(flags, "out")?;
    let seed = parsed::<u64>(flags, "seed")?.unwrap_or(0);
    let scene = demo_scene(seed);
    let bytes = write_ply(&scene);
    std::fs::write(out, &bytes).map_err(|e| format!("cannot write {out}: {e}"))?;
    Ok(json!({
        "out": out, "seed": seed, "splats": scene.len(), "sh_degree": scene.sh_degree,
        "bytes": bytes.len(), "content_hash": format!("{:016x}", scene.content_hash()),
    }))
}

fn render_cameras(flags: &HashMap<String, String>) -> Result<Value, String> {
    let scene_path = required(flags, "scene")?;
    let scene_bytes =
        std::fs::read(scene_path).map_err(|e| format!("cannot read scene {scene_path}: {e}"))?;
    let scene = detect_and_parse(&scene_bytes).map_err(|e| format!("{scene_path}: {e}"))?;
    let cameras_path = required(flags, "cameras")?;
    let cameras = read_cameras(cameras_path)?;
    let out = required(flags, "out")?;

    let width =
        parsed::<u32>(flags, "width")?.ok_or_else(|| format!("missing --width\n{USAGE}"))?;
    let height =
        parsed::<u32>(flags, "height")?.ok_or_else(|| format!("missing --height\n{USAGE}"))?;
    let mode = match flags.get("mode").map(String::as_str) {
        None | Some("classic") => RasterMode::Classic,
        Some("antialiased") => RasterMode::Antialiased,
        Some(other) => {
            return Err(format!(
                "--mode \"{other}\" is neither classic nor antialiased"
            ));
        }
    };
    let settings = RenderSettings {
        width,
        height,
        sh_degree: parsed::<u32>(flags, "sh-degree")?.unwrap_or(scene.sh_degree),
        background: parse_background(flags.get("background"))?,
        mode,
    };

    let mut bytes = Vec::new();
    let mut visible = Vec::new();
    for (index, camera) in cameras.iter().enumerate() {
        let image =
            render(&scene, camera, &settings).map_err(|e| format!("camera {index}: {e}"))?;
        for plane in [&image.rgb, &image.alpha, &image.depth] {
            bytes.extend(plane.iter().flat_map(|v| v.to_le_bytes()));
        }
        visible.push(project_and_sort(&scene, camera, &settings).len());
    }
    std::fs::write(out, &bytes).map_err(|e| format!("cannot write {out}: {e}"))?;
    Ok(json!({
        "out": out, "cameras": cameras.len(), "width": width, "height": height,
        "splats": scene.len(), "sh_degree": settings.sh_degree,
        "mode": if mode == RasterMode::Classic { "classic" } else { "antialiased" },
        "background": settings.background, "bytes": bytes.len(), "visible": visible,
        "content_hash": format!("{:016x}", scene.content_hash()),
    }))
}

fn parse_background(value: Option<&String>) -> Result<[f32; 3], String> {
    let Some(value) = value else {
        return Ok([0.0; 3]);
    };
    let parts: Vec<f32> = value
        .split(',')
        .map(|p| p.trim().parse::<f32>())
        .collect::<Result<_, _>>()
        .map_err(|_| format!("--background \"{value}\" is not three comma-separated numbers"))?;
    parts
        .try_into()
        .map_err(|_| format!("--background \"{value}\" must have exactly three values (r,g,b)"))
}

fn read_cameras(path: &str) -> Result<Vec<Camera>, String> {
    let text =
        std::fs::read_to_string(path).map_err(|e| format!("cannot read cameras {path}: {e}"))?;
    let json: Value =
        serde_json::from_str(&text).map_err(|e| format!("{path}: invalid JSON: {e}"))?;
    let viewmats = matrices::<16>(&json, "viewmats", path)?;
    let ks = matrices::<9>(&json, "Ks", path)?;
    if viewmats.len() != ks.len() {
        return Err(format!(
            "{path}: {} viewmats but {} Ks; give one K per camera",
            viewmats.len(),
            ks.len()
        ));
    }
    Ok(viewmats
        .into_iter()
        .zip(ks)
        .map(|(viewmat, k)| Camera { viewmat, k })
        .collect())
}

/// Reads `json[key]` as a list of N-float matrices, flat or nested.
fn matrices<const N: usize>(json: &Value, key: &str, path: &str) -> Result<Vec<[f32; N]>, String> {
    let list = json
        .get(key)
        .and_then(Value::as_array)
        .ok_or_else(|| format!("{path}: missing array \"{key}\""))?;
    list.iter()
        .enumerate()
        .map(|(index, entry)| {
            let mut flat = Vec::new();
            flatten_numbers(entry, &mut flat)
                .ok_or_else(|| format!("{path}: {key}[{index}] holds a non-number"))?;
            flat.try_into().map_err(|v: Vec<f32>| {
                format!(
                    "{path}: {key}[{index}] has {} numbers, expected {N}",
                    v.len()
                )
            })
        })
        .collect()
}

fn flatten_numbers(value: &Value, out: &mut Vec<f32>) -> Option<()> {
    match value {
        Value::Number(n) => out.push(n.as_f64()? as f32),
        Value::Array(items) => items
            .iter()
            .try_for_each(|item| flatten_numbers(item, out))?,
        _ => return None,
    }
    Some(())
}
