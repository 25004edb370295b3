#pragma once
// Keeps the memory of freed tensors in the process for the next batch. With glibc's defaults a
// batch's activations and gradients (tens of MB) are returned to the kernel when freed and
// mapped again, zero-filled page by page, for the next batch: about a quarter of a SmallCNN
// training epoch on the CPU went to those page faults (docs/precision.md, the profile). Called
// once at the start of deepwb and deep-workbench; a GLIBC_TUNABLES malloc setting of the user's
// wins. No effect outside glibc.
namespace dw {

void keepFreedMemoryForReuse();

}  // namespace dw
