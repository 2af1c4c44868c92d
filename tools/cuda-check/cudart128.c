/* Test harness only (not shipped): ONNX Runtime 1.28+'s CUDA provider links four CUDA 12.8 runtime functions, and the
 * newest CUDA 12 runtime reachable from this workplace's registries is 12.6. These definitions let the provider load
 * with the 12.6 runtime; each says on stderr that it was called and returns cudaErrorNotSupported (801). */
#include <stdio.h>
static int said(const char *name) {
    fprintf(stderr, "cudart128 shim: %s called (needs the CUDA 12.8 runtime)\n", name);
    return 801;
}
int cudaLibraryLoadData(void **lib, const void *code, void *jo, void **jv, unsigned nj, void *lo, void **lv, unsigned nl) {
    return said("cudaLibraryLoadData");
}
int cudaLibraryGetKernel(void **kernel, void *lib, const char *name) { return said("cudaLibraryGetKernel"); }
int cudaLibraryUnload(void *lib) { return said("cudaLibraryUnload"); }
int cudaKernelSetAttributeForDevice(void *kernel, int attr, int value, int device) {
    return said("cudaKernelSetAttributeForDevice");
}
