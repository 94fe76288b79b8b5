using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace NetJournal.Server;

/// <summary>
/// Up to 32 datagrams per system call with Linux recvmmsg, as rsyslog's imudp does: at a few hundred thousand
/// datagrams a second the system call, not the handling, is what a receive costs.
/// </summary>
internal sealed unsafe class BatchDatagramReceiver : IDatagramReceiver, IDisposable
{
    private const int Batch = 32;
    private const int SlotBytes = 65_536;
    private const int NameBytes = 128;
    private const int MsgWaitForOne = 0x10000;
    private const int Eintr = 4;

    [StructLayout(LayoutKind.Sequential)]
    private struct IoVec
    {
        public byte* Base;
        public nuint Length;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct MsgHdr
    {
        public byte* Name;
        public uint NameLength;
        public IoVec* Iov;
        public nuint IovLength;
        public void* Control;
        public nuint ControlLength;
        public int Flags;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct MMsgHdr
    {
        public MsgHdr Header;
        public uint Length;
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int recvmmsg(int fd, MMsgHdr* messages, uint count, int flags, void* timeout);

    private readonly Socket _socket;
    private readonly byte[] _data = GC.AllocateUninitializedArray<byte>(Batch * SlotBytes, pinned: true);
    private readonly byte[] _names = GC.AllocateArray<byte>(Batch * NameBytes, pinned: true);
    private readonly IntPtr _native;
    private readonly MMsgHdr* _messages;
    private readonly IoVec* _iovecs;
    private readonly SocketAddress[] _sources;

    private BatchDatagramReceiver(Socket socket)
    {
        _socket = socket;
        _native = Marshal.AllocHGlobal(Batch * (sizeof(MMsgHdr) + sizeof(IoVec)));
        _messages = (MMsgHdr*)_native;
        _iovecs = (IoVec*)(_messages + Batch);
        _sources = new SocketAddress[Batch];
        for (var i = 0; i < Batch; i++) _sources[i] = new SocketAddress(socket.AddressFamily);
    }

    /// <summary>A batch receiver on Linux, or null where recvmmsg is not to be had.</summary>
    public static BatchDatagramReceiver? TryCreate(Socket socket)
    {
        if (!OperatingSystem.IsLinux()) return null;
        try
        {
            var receiver = new BatchDatagramReceiver(socket);
            // Resolve the entry point now, so a missing libc symbol falls back at start rather than fails in the loop.
            Marshal.Prelink(typeof(BatchDatagramReceiver).GetMethod(nameof(recvmmsg), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!);
            return receiver;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
    }

    public int Receive()
    {
        fixed (byte* data = _data)
        fixed (byte* names = _names)
        {
            for (var i = 0; i < Batch; i++)
            {
                _iovecs[i] = new IoVec { Base = data + i * SlotBytes, Length = SlotBytes };
                _messages[i] = new MMsgHdr
                {
                    Header = new MsgHdr { Name = names + i * NameBytes, NameLength = NameBytes, Iov = _iovecs + i, IovLength = 1 },
                };
            }
            var fd = (int)_socket.SafeHandle.DangerousGetHandle();
            while (true)
            {
                var received = recvmmsg(fd, _messages, Batch, MsgWaitForOne, null);
                if (received >= 0)
                {
                    for (var i = 0; i < received; i++) CopySource(i);
                    return received;
                }
                var errno = Marshal.GetLastPInvokeError();
                if (errno == Eintr) continue;
                throw new SocketException(errno);
            }
        }
    }

    private void CopySource(int index)
    {
        var length = (int)Math.Min(_messages[index].Header.NameLength, (uint)NameBytes);
        var source = _sources[index];
        if (source.Size != length) _sources[index] = source = new SocketAddress(_socket.AddressFamily, Math.Max(length, 2));
        _names.AsSpan(index * NameBytes, source.Size).CopyTo(source.Buffer.Span);
    }

    public ReadOnlyMemory<byte> Datagram(int index) => _data.AsMemory(index * SlotBytes, (int)_messages[index].Length);

    public SocketAddress Source(int index) => _sources[index];

    public void Dispose() => Marshal.FreeHGlobal(_native);
}
