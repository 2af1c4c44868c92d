package dev.ganeval.core.torch;

/**
 * A storage a checkpoint's tensors view: a range of bytes of one stored storage (the whole of it, except for the
 * storage views of old legacy files), typed ({@code dtype} set) or untyped bytes ({@code dtype == null}, torch's
 * UntypedStorage, viewed through {@code _rebuild_tensor_v3}'s dtype).
 *
 * @param key        the stored storage's key: the name of its zip entry, or its key in a legacy file
 * @param label      how messages name it
 * @param byteOffset where the range starts in the stored storage
 * @param nbytes     the range's length
 */
record StorageRef(String key, String label, Tensor.DType dtype, long byteOffset, long nbytes) {}
