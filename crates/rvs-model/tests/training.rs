//! Training behaviour on the CPU backend: learning, accumulation, checkpoints, folding, loading.

mod common;

use std::collections::BTreeMap;

use burn::tensor::Tensor;
use common::{batch, block_on, device, tiny_trainer_config, values};
use rvs_model::params::named_tensors;
use rvs_model::trainer::Trainer;

fn all_params(trainer: &Trainer) -> Vec<(String, Vec<f32>)> {
    named_tensors(trainer.model()).into_iter().map(|t| (t.name, values(t.values))).collect()
}

fn max_abs_diff(a: &[(String, Vec<f32>)], b: &[(String, Vec<f32>)]) -> (f32, String) {
    let mut worst = (0.0f32, String::new());
    for ((name, x), (_, y)) in a.iter().zip(b) {
        for (p, q) in x.iter().zip(y) {
            if (p - q).abs() > worst.0 {
                worst = ((p - q).abs(), name.clone());
            }
        }
    }
    worst
}

#[test]
fn loss_falls_on_a_tiny_set() {
    let mut trainer = Trainer::new(tiny_trainer_config(false), device()).unwrap();
    let (images, poses) = batch(4, 1, &trainer.device);
    let mut losses = Vec::new();
    for _ in 0..60 {
        let terms = trainer.accumulate(images.clone(), poses.clone(), 1.0).unwrap();
        losses.push(values(terms.total)[0]);
        trainer.apply(1e-3).unwrap();
    }
    let (first, last) = (losses[0], *losses.last().unwrap());
    assert!(last < first - 0.5 * (first - (-9.5)).abs().min(first.abs()), "loss {first} → {last}: {losses:?}");
}

#[test]
fn accumulating_micro_batches_equals_one_large_batch() {
    // Adam divides by √v: a gradient that is zero in theory (an attention key bias) but rounding
    // noise in practice would be blown up to a full-size step. ε = 1 keeps the update linear in
    // the gradient, so equal gradients give equal weights and the comparison is about them.
    let mut config = tiny_trainer_config(true);
    config.adam.epsilon = 1.0;
    let mut whole = Trainer::new(config.clone(), device()).unwrap();
    let mut parts = Trainer::new(config.clone(), device()).unwrap();
    // Random init is not reproducible across test threads: start both from one set of weights.
    parts.load(&block_on(whole.save(BTreeMap::new())).unwrap()).unwrap();
    let initial = all_params(&whole);
    assert!(max_abs_diff(&initial, &all_params(&parts)).0 == 0.0, "same start");
    let (images, poses) = batch(6, 3, &whole.device);
    for _ in 0..2 {
        whole.accumulate(images.clone(), poses.clone(), 1.0).unwrap();
        whole.apply(1e-2).unwrap();
        for (start, len) in [(0, 2), (2, 1), (3, 3)] {
            parts.accumulate(images.clone().narrow(0, start, len), poses.clone().narrow(0, start, len), len as f64 / 6.0).unwrap();
        }
        parts.apply(1e-2).unwrap();
    }
    let (diff, name) = max_abs_diff(&all_params(&whole), &all_params(&parts));
    assert!(diff < 2e-5, "largest difference {diff} in {name}");
    // And the step moved the weights, so the comparison means something.
    assert!(max_abs_diff(&initial, &all_params(&whole)).0 > 1e-4);
}

#[test]
fn gradient_checkpointing_gives_the_same_steps() {
    // ε = 1 for the same reason as above: equal gradients must give equal weights.
    let mut config = tiny_trainer_config(false);
    config.adam.epsilon = 1.0;
    let mut kept = Trainer::new(config.clone(), device()).unwrap();
    config.gradient_checkpointing = true;
    let mut recomputed = Trainer::new(config, device()).unwrap();
    recomputed.load(&block_on(kept.save(BTreeMap::new())).unwrap()).unwrap();
    let initial = all_params(&kept);
    // Inputs come without autodiff, as the WASM API hands them over (a tensor of the other
    // trainer's autodiff device would keep that device's strategy and be refused).
    let (images, poses) = batch(4, 5, &kept.device.clone().inner());
    for step in 0..2 {
        let a = values(kept.accumulate(images.clone(), poses.clone(), 1.0).unwrap().total)[0];
        let b = values(recomputed.accumulate(images.clone(), poses.clone(), 1.0).unwrap().total)[0];
        assert!((a - b).abs() <= 1e-5 * a.abs().max(1.0), "step {step}: loss {a} kept, {b} recomputed");
        kept.apply(1e-2).unwrap();
        recomputed.apply(1e-2).unwrap();
    }
    let (diff, name) = max_abs_diff(&all_params(&kept), &all_params(&recomputed));
    assert!(diff < 2e-5, "largest difference {diff} in {name}");
    assert!(max_abs_diff(&initial, &all_params(&kept)).0 > 1e-4, "the steps moved the weights");
}

#[test]
fn checkpoint_round_trip_resumes_exactly() {
    let mut a = Trainer::new(tiny_trainer_config(false), device()).unwrap();
    let (images, poses) = batch(3, 5, &a.device);
    for _ in 0..2 {
        a.accumulate(images.clone(), poses.clone(), 1.0).unwrap();
        a.apply(1e-3).unwrap();
    }
    let bytes = block_on(a.save(BTreeMap::from([("epoch".to_string(), "2".to_string())]))).unwrap();
    let mut b = Trainer::new(tiny_trainer_config(false), device()).unwrap();
    let metadata = b.load(&bytes).unwrap();
    assert_eq!(metadata["epoch"], "2");
    assert_eq!(max_abs_diff(&all_params(&a), &all_params(&b)).0, 0.0);
    for t in [&mut a, &mut b] {
        t.accumulate(images.clone(), poses.clone(), 1.0).unwrap();
        t.apply(1e-3).unwrap();
    }
    // Identical only if the Adam moments and step count came back too.
    let (diff, name) = max_abs_diff(&all_params(&a), &all_params(&b));
    assert_eq!(diff, 0.0, "{name} diverged after resume");
}

#[test]
fn broken_checkpoints_are_refused_without_changing_the_model() {
    let mut trainer = Trainer::new(tiny_trainer_config(false), device()).unwrap();
    let before = all_params(&trainer);
    let good = block_on(trainer.save(BTreeMap::new())).unwrap();
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("empty", vec![], "shorter than"),
        ("truncated", good[..good.len() - 10].to_vec(), "truncated"),
        ("header cut", good[..40].to_vec(), "runs past the end"),
        ("not json", [16u64.to_le_bytes().to_vec(), b"{{{{{{{{{{{{{{{{".to_vec()].concat(), "not JSON"),
    ];
    for (what, bytes, expected) in cases {
        let err = trainer.load(&bytes).err().unwrap_or_else(|| panic!("{what} loaded"));
        assert!(err.contains(expected), "{what}: {err}");
    }
    let mut other = tiny_trainer_config(false);
    other.model.d_model = 32;
    let wrong = block_on(Trainer::new(other, device()).unwrap().save(BTreeMap::new())).unwrap();
    assert!(trainer.load(&wrong).unwrap_err().contains("checkpoint is for model"));
    assert_eq!(max_abs_diff(&before, &all_params(&trainer)).0, 0.0);
}

#[test]
fn folded_batch_norms_give_the_same_poses() {
    let mut trainer = Trainer::new(tiny_trainer_config(false), device()).unwrap();
    let (images, poses) = batch(4, 9, &trainer.device);
    for _ in 0..3 {
        trainer.accumulate(images.clone(), poses.clone(), 1.0).unwrap();
        trainer.apply(1e-2).unwrap();
    }
    use burn::module::Module;
    // Unfolded: batch norms with running statistics; folded: the inference path `predict` uses.
    let reference = values(trainer.model().valid().forward(images.clone().to_device(&trainer.device.clone().inner())).unwrap().pose());
    assert!(trainer.inference_model().backbone.stem.bn.is_none());
    let out = values(trainer.predict(images).unwrap());
    for (a, b) in reference.iter().zip(&out) {
        assert!((a - b).abs() < 1e-4, "{a} vs {b}");
    }
}

#[test]
fn torchvision_weights_load_by_name() {
    use rvs_model::params::torchvision_name;
    use rvs_model::safetensors::{Entry, encode, f32_entry};
    let source = Trainer::new(tiny_trainer_config(false), device()).unwrap();
    let mut tensors: BTreeMap<String, Entry> = BTreeMap::new();
    for t in named_tensors(source.model()) {
        if let Some(name) = torchvision_name(&t.name) {
            let v: Vec<f32> = values(t.values).iter().map(|x| x * 0.5 + 0.25).collect();
            tensors.insert(name, f32_entry(t.shape, &v));
        }
    }
    // What a real torchvision export also holds: counters and the classifier.
    tensors.insert("features.0.1.num_batches_tracked".into(), Entry { dtype: "I64", shape: vec![], bytes: 7i64.to_le_bytes().to_vec() });
    tensors.insert("classifier.1.weight".into(), f32_entry(vec![2, 2], &[1.0, 2.0, 3.0, 4.0]));
    let bytes = encode(&tensors, &BTreeMap::new());
    let mut target = Trainer::new(tiny_trainer_config(false), device()).unwrap();
    let count = target.load_torchvision(&bytes).unwrap();
    assert_eq!(count, tensors.len() - 2);
    let stem = named_tensors(target.model()).into_iter().find(|t| t.name == "backbone.stem.conv.weight").unwrap();
    let expected = named_tensors(source.model()).into_iter().find(|t| t.name == "backbone.stem.conv.weight").unwrap();
    for (a, b) in values(stem.values).iter().zip(values(expected.values)) {
        assert!((a - (b * 0.5 + 0.25)).abs() < 1e-6);
    }
    // A file lacking a tensor names it.
    tensors.remove("features.3.0.block.1.0.weight");
    let err = target.load_torchvision(&encode(&tensors, &BTreeMap::new())).unwrap_err();
    assert!(err.contains("features.3.0.block.1.0.weight"), "{err}");
    let _ = Tensor::<1>::from_floats([0.0], &device());
}
