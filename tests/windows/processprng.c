/* A stand-in for Windows' bcryptprimitives.dll, for tests under Wine only.
 *
 * Rust's standard library asks ProcessPrng (bcryptprimitives.dll, Windows 10 and later)
 * for random bytes at start; Debian's Wine 8 does not export it. This DLL does, over
 * RtlGenRandom (advapi32's SystemFunction036). tests/windows/wine.sh builds it with MinGW
 * beside the copy of patronal.exe under test; it is never shipped (dist/windows.sh). */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length) {
    while (length > 0) {
        ULONG chunk = length > 0x10000000 ? 0x10000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk)) {
            return FALSE;
        }
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
