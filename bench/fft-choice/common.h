// Shared by clfft.c and vkfft.c: the first OpenCL device, a clock, a status check and the test signal.
#define CL_TARGET_OPENCL_VERSION 120
#include <CL/cl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + 1e-9 * t.tv_nsec;
}

#define CHECK(x)                                                             \
    do                                                                       \
    {                                                                        \
        cl_int status_ = (x);                                                \
        if (status_)                                                         \
        {                                                                    \
            fprintf(stderr, "%s:%d: status %d\n", __FILE__, __LINE__, status_); \
            exit(1);                                                         \
        }                                                                    \
    } while (0)

static void setup(cl_platform_id* platform, cl_device_id* device, cl_context* context, cl_command_queue* queue)
{
    cl_int status;
    CHECK(clGetPlatformIDs(1, platform, NULL));
    CHECK(clGetDeviceIDs(*platform, CL_DEVICE_TYPE_ALL, 1, device, NULL));
    *context = clCreateContext(NULL, 1, device, NULL, NULL, &status);
    CHECK(status);
    *queue = clCreateCommandQueue(*context, *device, 0, &status);
    CHECK(status);
}

static double signal_at(size_t i) { return sin(0.37 * i) + ((i * 7919) % 13) * 0.1; }

// The largest |inverse(forward(x)) / M^2 - x| over the mesh.
static double roundtrip_error(cl_command_queue queue, cl_mem real, size_t m)
{
    double* out = malloc(m * m * sizeof(double));
    CHECK(clEnqueueReadBuffer(queue, real, CL_TRUE, 0, m * m * sizeof(double), out, 0, NULL, NULL));
    double error = 0;
    for (size_t i = 0; i < m * m; i++)
    {
        error = fmax(error, fabs(out[i] / (double)(m * m) - signal_at(i)));
    }
    free(out);
    return error;
}

static void upload_signal(cl_command_queue queue, cl_mem real, size_t m)
{
    double* host = malloc(m * m * sizeof(double));
    for (size_t i = 0; i < m * m; i++)
    {
        host[i] = signal_at(i);
    }
    CHECK(clEnqueueWriteBuffer(queue, real, CL_TRUE, 0, m * m * sizeof(double), host, 0, NULL, NULL));
    free(host);
}
