/*
 * The small native shim between HpcGB and VkFFT (header-only, OpenCL backend): one plan = one real-to-complex
 * transform of a 1D (M) or 2D (M x M, row-major) real mesh in double precision, bound to two device buffers
 * (the real mesh and the half spectrum, FFTW's r2c layout: rows of M/2 + 1 complex values).
 * VkFFT keeps pointers to the handles it is given, so the plan owns copies of them for its lifetime.
 * Built by interop/HpcGB.Interop/HpcGB.Interop.csproj with the system C compiler (Debian: libvkfft-dev,
 * opencl-c-headers, ocl-icd-libopencl1).
 */
#define VKFFT_BACKEND 3
#define CL_TARGET_OPENCL_VERSION 120
#include <stdlib.h>
#include <string.h>
#include <vkFFT.h>

typedef struct hpcgb_vkfft_plan {
    VkFFTApplication app;
    cl_platform_id platform;
    cl_device_id device;
    cl_context context;
    cl_command_queue queue;
    cl_mem real;
    cl_mem spectrum;
    uint64_t real_bytes;
    uint64_t spectrum_bytes;
} hpcgb_vkfft_plan;

int hpcgb_vkfft_version(void) { return VkFFTGetVersion(); }

/* Arguments the shim refuses (VkFFT's own codes are positive). */
#define HPCGB_VKFFT_BAD_ARGUMENTS (-1)

/* Returns 0, HPCGB_VKFFT_BAD_ARGUMENTS or a VkFFTResult code; *out is the plan on success. */
int hpcgb_vkfft_create(cl_platform_id platform, cl_device_id device, cl_context context, cl_command_queue queue,
                       int dimensions, uint64_t mesh, cl_mem real, cl_mem spectrum, hpcgb_vkfft_plan **out)
{
    *out = NULL;
    if ((dimensions != 1 && dimensions != 2) || mesh < 2 || mesh % 2 != 0) {
        return HPCGB_VKFFT_BAD_ARGUMENTS;
    }
    hpcgb_vkfft_plan *plan = (hpcgb_vkfft_plan *)calloc(1, sizeof(hpcgb_vkfft_plan));
    if (plan == NULL) {
        return VKFFT_ERROR_MALLOC_FAILED;
    }
    plan->platform = platform;
    plan->device = device;
    plan->context = context;
    plan->queue = queue;
    plan->real = real;
    plan->spectrum = spectrum;
    uint64_t rows = dimensions == 2 ? mesh : 1;
    plan->real_bytes = rows * mesh * sizeof(double);
    plan->spectrum_bytes = rows * (mesh / 2 + 1) * 2 * sizeof(double);

    VkFFTConfiguration configuration;
    memset(&configuration, 0, sizeof(configuration));
    configuration.FFTdim = (uint64_t)dimensions;
    configuration.size[0] = mesh; /* the contiguous axis, halved in the spectrum */
    configuration.size[1] = rows;
    configuration.performR2C = 1;
    configuration.doublePrecision = 1;
    configuration.platform = &plan->platform;
    configuration.device = &plan->device;
    configuration.context = &plan->context;
    configuration.commandQueue = &plan->queue;
    configuration.buffer = &plan->spectrum;
    configuration.bufferSize = &plan->spectrum_bytes;
    /* The real mesh lives in its own unpadded buffer; the inverse writes back into it. */
    configuration.isInputFormatted = 1;
    configuration.inputBuffer = &plan->real;
    configuration.inputBufferSize = &plan->real_bytes;
    configuration.inputBufferStride[0] = mesh;
    configuration.inputBufferStride[1] = rows * mesh;
    configuration.inverseReturnToInputBuffer = 1;

    VkFFTResult result = initializeVkFFT(&plan->app, configuration);
    if (result != VKFFT_SUCCESS) {
        deleteVkFFT(&plan->app);
        free(plan);
        return (int)result;
    }
    *out = plan;
    return 0;
}

static int launch(hpcgb_vkfft_plan *plan, int inverse)
{
    VkFFTLaunchParams parameters;
    memset(&parameters, 0, sizeof(parameters));
    parameters.commandQueue = &plan->queue;
    parameters.buffer = &plan->spectrum;
    parameters.inputBuffer = &plan->real;
    return (int)VkFFTAppend(&plan->app, inverse, &parameters);
}

/* real -> spectrum, enqueued on the plan's queue. */
int hpcgb_vkfft_forward(hpcgb_vkfft_plan *plan) { return launch(plan, -1); }

/* spectrum -> real, unnormalised (the sum over frequencies, like FFTW's c2r); the spectrum is overwritten. */
int hpcgb_vkfft_inverse(hpcgb_vkfft_plan *plan) { return launch(plan, 1); }

void hpcgb_vkfft_destroy(hpcgb_vkfft_plan *plan)
{
    if (plan != NULL) {
        deleteVkFFT(&plan->app);
        free(plan);
    }
}
