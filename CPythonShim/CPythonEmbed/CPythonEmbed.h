// Carries no declarations of its own: depending on this module links libpython (through the
// `-embed` pkg-config package), which a program that embeds the interpreter needs and an
// extension module must not have.
#ifndef PYCLASSKIT_CPYTHON_EMBED_H
#define PYCLASSKIT_CPYTHON_EMBED_H
#endif
