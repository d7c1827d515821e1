/*
 * A stand-in bcryptprimitives.dll for running crmauth's Windows build under
 * Wine 8 (Debian 12), which lacks that DLL. Rust's std gets its random bytes
 * (HashMap seeds, temp file names) from ProcessPrng in it, and a program that
 * cannot load it does not start. This one takes them from RtlGenRandom
 * (advapi32's SystemFunction036), which Wine has. Built and placed next to the
 * .exe files by scripts/test-windows; never shipped.
 */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
    while (length > 0) {
        ULONG chunk = length > 0x40000000 ? 0x40000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk))
            return FALSE;
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
