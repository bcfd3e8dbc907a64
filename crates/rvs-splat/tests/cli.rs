//! The `rvs-reference` binary, run as the TypeScript tests run it.

use std::path::PathBuf;
use std::process::Command;

use rvs_splat::{Camera, RasterMode, RenderSettings, demo_scene, parse_ply, render};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_rvs-reference"))
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("rvs-reference-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

#[test]
fn demo_then_render_writes_the_documented_layout() {
    let ply = scratch("demo.ply");
    let out = bin()
        .args(["demo", "--out", ply.to_str().unwrap(), "--seed", "3"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let scene = parse_ply(&std::fs::read(&ply).unwrap()).unwrap();
    assert_eq!(scene, demo_scene(3));

    // Two cameras, the second given as nested matrices.
    let cams = scratch("cams.json");
    std::fs::write(
        &cams,
        r#"{"viewmats": [[1,0,0,0, 0,1,0,0, 0,0,1,3.5, 0,0,0,1], [[1,0,0,0.5],[0,1,0,0],[0,0,1,3],[0,0,0,1]]],
            "Ks": [[20,0,12,0,20,8,0,0,1], [[20,0,12],[0,20,8],[0,0,1]]]}"#,
    )
    .unwrap();
    let bin_path = scratch("out.bin");
    let out = bin()
        .args([
            "--scene",
            ply.to_str().unwrap(),
            "--cameras",
            cams.to_str().unwrap(),
            "--width",
            "24",
            "--height",
            "16",
        ])
        .args([
            "--background",
            "0.1,0.2,0.3",
            "--mode",
            "antialiased",
            "--sh-degree",
            "0",
            "--out",
            bin_path.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(summary["cameras"], 2);
    assert_eq!(
        summary["content_hash"],
        format!("{:016x}", scene.content_hash())
    );

    let bytes = std::fs::read(&bin_path).unwrap();
    let floats: Vec<f32> = bytes
        .chunks_exact(4)
        .map(|b| f32::from_le_bytes(b.try_into().unwrap()))
        .collect();
    let pixels = 24 * 16;
    assert_eq!(floats.len(), 2 * pixels * 5);
    let settings = RenderSettings {
        width: 24,
        height: 16,
        sh_degree: 0,
        background: [0.1, 0.2, 0.3],
        mode: RasterMode::Antialiased,
    };
    let mut viewmat = [
        1., 0., 0., 0.5, 0., 1., 0., 0., 0., 0., 1., 3., 0., 0., 0., 1.,
    ];
    let k = [20., 0., 12., 0., 20., 8., 0., 0., 1.];
    let second = render(&scene, &Camera { viewmat, k }, &settings).unwrap();
    let block = &floats[pixels * 5..];
    assert_eq!(&block[..pixels * 3], second.rgb.as_slice());
    assert_eq!(&block[pixels * 3..pixels * 4], second.alpha.as_slice());
    assert_eq!(&block[pixels * 4..], second.depth.as_slice());
    viewmat[3] = 0.0;
    viewmat[11] = 3.5;
    let first = render(&scene, &Camera { viewmat, k }, &settings).unwrap();
    assert_eq!(&floats[..pixels * 3], first.rgb.as_slice());
}

#[test]
fn errors_name_the_problem_and_exit_non_zero() {
    let run = |args: &[&str]| {
        let out = bin().args(args).output().unwrap();
        assert!(!out.status.success());
        String::from_utf8_lossy(&out.stderr).to_string()
    };
    assert!(run(&[]).contains("usage"));
    assert!(run(&["--scene", "/nonexistent.ply"]).contains("cannot read scene /nonexistent.ply"));
    let bad = scratch("bad.splat");
    std::fs::write(&bad, [0u8; 33]).unwrap();
    let cams = scratch("c.json");
    std::fs::write(
        &cams,
        r#"{"viewmats": [[1,0,0,0]], "Ks": [[1,0,0,0,1,0,0,0,1]]}"#,
    )
    .unwrap();
    let message = run(&[
        "--scene",
        bad.to_str().unwrap(),
        "--cameras",
        cams.to_str().unwrap(),
        "--width",
        "4",
        "--height",
        "4",
        "--out",
        "/dev/null",
    ]);
    assert!(message.contains("33 bytes"), "{message}");
    let good = scratch("good.splat");
    std::fs::write(
        &good,
        [[0u8; 28].as_slice(), &[255, 128, 128, 128]].concat(),
    )
    .unwrap();
    let message = run(&[
        "--scene",
        good.to_str().unwrap(),
        "--cameras",
        cams.to_str().unwrap(),
        "--width",
        "4",
        "--height",
        "4",
        "--out",
        "/dev/null",
    ]);
    assert!(
        message.contains("viewmats[0] has 4 numbers, expected 16"),
        "{message}"
    );
    assert!(run(&["demo", "--out", "/tmp/x.ply", "--seed", "abc"]).contains("--seed \"abc\""));
}
