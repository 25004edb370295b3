// Compiled only to build the precompiled LibTorch header that every target of its kind reuses
// (cmake/DwTorch.cmake): one for the executables, one for the libraries.
int main()
{
    return 0;
}
