// clFFT (Debian libclfft-dev): plan, first call and forward + inverse time of a double M x M real transform in
// FFTW's layout (M/2 + 1 complex columns), out of place. Usage: clfft M REPEATS
#include "common.h"
#include <clFFT.h>

static clfftPlanHandle plan(cl_context context, cl_command_queue* queue, size_t m, int forward)
{
    size_t lengths[2] = { m, m }, realStrides[2] = { 1, m }, complexStrides[2] = { 1, m / 2 + 1 };
    clfftPlanHandle handle;
    CHECK(clfftCreateDefaultPlan(&handle, context, CLFFT_2D, lengths));
    CHECK(clfftSetPlanPrecision(handle, CLFFT_DOUBLE));
    CHECK(clfftSetResultLocation(handle, CLFFT_OUTOFPLACE));
    if (forward)
    {
        CHECK(clfftSetLayout(handle, CLFFT_REAL, CLFFT_HERMITIAN_INTERLEAVED));
        CHECK(clfftSetPlanInStride(handle, CLFFT_2D, realStrides));
        CHECK(clfftSetPlanOutStride(handle, CLFFT_2D, complexStrides));
        CHECK(clfftSetPlanDistance(handle, m * m, m * (m / 2 + 1)));
    }
    else
    {
        CHECK(clfftSetLayout(handle, CLFFT_HERMITIAN_INTERLEAVED, CLFFT_REAL));
        CHECK(clfftSetPlanInStride(handle, CLFFT_2D, complexStrides));
        CHECK(clfftSetPlanOutStride(handle, CLFFT_2D, realStrides));
        CHECK(clfftSetPlanDistance(handle, m * (m / 2 + 1), m * m));
        CHECK(clfftSetPlanScale(handle, CLFFT_BACKWARD, 1.0));
    }
    CHECK(clfftBakePlan(handle, 1, queue, NULL, NULL));
    return handle;
}

int main(int argc, char** argv)
{
    size_t m = (size_t)atoi(argv[1]);
    int repeats = atoi(argv[2]);
    cl_platform_id platform;
    cl_device_id device;
    cl_context context;
    cl_command_queue queue;
    setup(&platform, &device, &context, &queue);
    clfftSetupData setupData;
    CHECK(clfftInitSetupData(&setupData));
    CHECK(clfftSetup(&setupData));
    cl_int status;
    cl_mem real = clCreateBuffer(context, CL_MEM_READ_WRITE, m * m * sizeof(double), NULL, &status);
    CHECK(status);
    cl_mem spectrum = clCreateBuffer(context, CL_MEM_READ_WRITE, m * (m / 2 + 1) * 2 * sizeof(double), NULL, &status);
    CHECK(status);

    double t0 = now();
    clfftPlanHandle forward = plan(context, &queue, m, 1), inverse = plan(context, &queue, m, 0);
    double t1 = now();
    upload_signal(queue, real, m);
    CHECK(clfftEnqueueTransform(forward, CLFFT_FORWARD, 1, &queue, 0, NULL, NULL, &real, &spectrum, NULL));
    CHECK(clfftEnqueueTransform(inverse, CLFFT_BACKWARD, 1, &queue, 0, NULL, NULL, &spectrum, &real, NULL));
    CHECK(clFinish(queue));
    double error = roundtrip_error(queue, real, m);
    double t2 = now();
    for (int r = 0; r < repeats; r++)
    {
        CHECK(clfftEnqueueTransform(forward, CLFFT_FORWARD, 1, &queue, 0, NULL, NULL, &real, &spectrum, NULL));
        CHECK(clfftEnqueueTransform(inverse, CLFFT_BACKWARD, 1, &queue, 0, NULL, NULL, &spectrum, &real, NULL));
    }
    CHECK(clFinish(queue));
    double t3 = now();
    printf("clFFT M=%zu plan %.2f s, first call %.2f s, forward + inverse %.1f ms, round trip %.0e\n",
           m, t1 - t0, t2 - t1, (t3 - t2) / repeats * 1e3, error);
    CHECK(clfftDestroyPlan(&forward));
    CHECK(clfftDestroyPlan(&inverse));
    CHECK(clfftTeardown());
    return 0;
}
