// Prepended to the kernels on subgroup matrices (matmul_subgroup.wgsl and the attention
// backward's *_matrix.wgsl and attention_grad_query_scores.wgsl): the extensions they enable.
// Their f16 tiles in workgroup memory have padded row strides (72 for rows of 64 values, 40
// for rows of 32): a matrix load reads 8 rows at a time, and rows 128 or 64 bytes apart all
// start in the same banks (an 8- or 4-way conflict).

enable f16;
enable chromium_experimental_subgroup_matrix;
// Matrix offsets depend on subgroup_id, uniform within a subgroup; this Dawn's analysis only
// proves workgroup uniformity.
diagnostic(off, chromium_experimental.subgroup_matrix_uniformity);
