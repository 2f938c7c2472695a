using System.Text;
using HpcGB.Engine.Distributed;
using HpcGB.Engine.Spec;

namespace HpcGB.Host.Cli.Distributed;

/// <summary>
/// What <c>hpcgb resume DIR</c> continues from across ranks: rank 0 reads the checkpoint as a serial resume does
/// (<see cref="RunResumption.Load"/>) and sends every rank the spec; the particles follow in
/// <see cref="DistributedSystem.Create"/>. A checkpoint rank 0 refuses ends every rank with exit code 2 (rank 0 prints
/// the line), so only rank 0 needs to see the directory.
/// </summary>
internal static class DistributedResumption
{
    /// <summary>The spec on every rank, and the checkpoint on rank 0 (null elsewhere).</summary>
    public static (SimulationSpec Spec, DistributedCheckpoint? Checkpoint) Load(Communicator communicator, string directory, double? end)
    {
        int ranks = communicator.Size;
        if (communicator.Rank != 0)
        {
            var message = communicator.Receive(CommunicationPhase.Setup, 0);
            if (message[0] < 0)
            {
                throw new RankFailedException(0, message[0] == -2 ? 2 : 1);
            }
            return (SpecReader.Parse(Unpack(message)), null);
        }
        SimulationSpec spec;
        DistributedCheckpoint checkpoint;
        double[] reply;
        Exception? failure = null;
        try
        {
            var (loaded, signs, run, slabs) = RunResumption.Load(directory, end);
            // Every rank, this one included, runs the spec its canonical JSON reads back to.
            string json = SpecWriter.ToJson(loaded);
            spec = SpecReader.Parse(json);
            checkpoint = new DistributedCheckpoint(run, signs, slabs);
            reply = Pack(json);
        }
        catch (Exception exception)
        {
            failure = exception;
            (spec, checkpoint, reply) = (null!, null!, [exception is SpecException ? -2 : -1]);
        }
        for (int q = 1; q < ranks; q++)
        {
            communicator.Send(CommunicationPhase.Setup, reply, q);
        }
        if (failure is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure).Throw();
        }
        return (spec, checkpoint);
    }

    /// <summary>[1, byte count, the UTF-8 bytes four to a double] (whole numbers, exact in any transport).</summary>
    private static double[] Pack(string json)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(json);
        var message = new double[2 + (bytes.Length + 3) / 4];
        message[0] = 1;
        message[1] = bytes.Length;
        for (int i = 0; i < bytes.Length; i++)
        {
            message[2 + i / 4] += (double)((uint)bytes[i] << (8 * (i % 4)));
        }
        return message;
    }

    private static string Unpack(double[] message)
    {
        var bytes = new byte[(int)message[1]];
        for (int i = 0; i < bytes.Length; i++)
        {
            bytes[i] = (byte)((uint)message[2 + i / 4] >> (8 * (i % 4)));
        }
        return Encoding.UTF8.GetString(bytes);
    }
}
