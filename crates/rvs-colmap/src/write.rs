//! Writers of the same formats, for tests, fuzz seeds and the fuzz targets' round trips.
//! Images are written without 2D points and points without tracks (the readers skip both);
//! point ids are 1, 2, 3, …

/// cameras.bin bytes of these cameras (each must carry its model's parameter count).
pub fn write_cameras(cameras: &[crate::Camera]) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend((cameras.len() as u64).to_le_bytes());
    for c in cameras {
        assert_eq!(c.params.len(), c.model.params.len(), "camera {}", c.id);
        out.extend(c.id.to_le_bytes());
        out.extend(c.model.id.to_le_bytes());
        out.extend(c.width.to_le_bytes());
        out.extend(c.height.to_le_bytes());
        c.params.iter().for_each(|p| out.extend(p.to_le_bytes()));
    }
    out
}

/// images.bin bytes of these images, each with no 2D points. Names must not contain NUL.
pub fn write_images(images: &[crate::Image]) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend((images.len() as u64).to_le_bytes());
    for image in images {
        assert!(!image.name.contains('\0'), "image {} name", image.id);
        out.extend(image.id.to_le_bytes());
        image
            .qvec
            .iter()
            .chain(&image.tvec)
            .for_each(|v| out.extend(v.to_le_bytes()));
        out.extend(image.camera_id.to_le_bytes());
        out.extend(image.name.as_bytes());
        out.push(0);
        out.extend(0u64.to_le_bytes());
    }
    out
}

/// points3D.bin bytes of these points, ids 1.., each with an empty track.
pub fn write_points3d(points: &crate::Points) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend((points.len() as u64).to_le_bytes());
    for i in 0..points.len() {
        out.extend((i as u64 + 1).to_le_bytes());
        points.xyz[3 * i..3 * i + 3]
            .iter()
            .for_each(|v| out.extend(v.to_le_bytes()));
        out.extend(&points.rgb[3 * i..3 * i + 3]);
        out.extend(points.error[i].to_le_bytes());
        out.extend(0u64.to_le_bytes());
    }
    out
}
