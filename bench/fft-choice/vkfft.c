// VkFFT (Debian libvkfft-dev, OpenCL backend): the same measurement as clfft.c, in the layout the project's shim
// uses (real input buffer, M/2 + 1 complex columns). Usage: vkfft M REPEATS
#include "common.h"
#define VKFFT_BACKEND 3
#include <vkFFT.h>

int main(int argc, char** argv)
{
    uint64_t m = (uint64_t)atoi(argv[1]);
    int repeats = atoi(argv[2]);
    cl_platform_id platform;
    cl_device_id device;
    cl_context context;
    cl_command_queue queue;
    setup(&platform, &device, &context, &queue);
    cl_int status;
    uint64_t spectrumBytes = m * (m / 2 + 1) * 2 * sizeof(double), realBytes = m * m * sizeof(double);
    cl_mem real = clCreateBuffer(context, CL_MEM_READ_WRITE, realBytes, NULL, &status);
    CHECK(status);
    cl_mem spectrum = clCreateBuffer(context, CL_MEM_READ_WRITE, spectrumBytes, NULL, &status);
    CHECK(status);

    double t0 = now();
    VkFFTConfiguration configuration = { 0 };
    VkFFTApplication application = { 0 };
    configuration.FFTdim = 2;
    configuration.size[0] = m;
    configuration.size[1] = m;
    configuration.performR2C = 1;
    configuration.doublePrecision = 1;
    configuration.device = &device;
    configuration.context = &context;
    configuration.platform = &platform;
    configuration.commandQueue = &queue;
    configuration.buffer = &spectrum;
    configuration.bufferSize = &spectrumBytes;
    configuration.isInputFormatted = 1;
    configuration.inputBuffer = &real;
    configuration.inputBufferSize = &realBytes;
    configuration.inverseReturnToInputBuffer = 1;
    configuration.inputBufferStride[0] = m;
    configuration.inputBufferStride[1] = m * m;
    if (initializeVkFFT(&application, configuration) != VKFFT_SUCCESS)
    {
        fprintf(stderr, "initializeVkFFT failed\n");
        return 1;
    }
    double t1 = now();
    upload_signal(queue, real, m);
    VkFFTLaunchParams launch = { 0 };
    launch.commandQueue = &queue;
    launch.buffer = &spectrum;
    launch.inputBuffer = &real;
    if (VkFFTAppend(&application, -1, &launch) != VKFFT_SUCCESS || VkFFTAppend(&application, 1, &launch) != VKFFT_SUCCESS)
    {
        fprintf(stderr, "VkFFTAppend failed\n");
        return 1;
    }
    CHECK(clFinish(queue));
    double error = roundtrip_error(queue, real, m);
    double t2 = now();
    for (int r = 0; r < repeats; r++)
    {
        VkFFTAppend(&application, -1, &launch);
        VkFFTAppend(&application, 1, &launch);
    }
    CHECK(clFinish(queue));
    double t3 = now();
    printf("VkFFT M=%lu plan %.2f s, first call %.2f s, forward + inverse %.1f ms, round trip %.0e\n",
           (unsigned long)m, t1 - t0, t2 - t1, (t3 - t2) / repeats * 1e3, error);
    deleteVkFFT(&application);
    return 0;
}
