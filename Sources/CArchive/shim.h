#ifndef CUSTODY_CARCHIVE_SHIM_H
#define CUSTODY_CARCHIVE_SHIM_H
#include <archive.h>
#include <archive_entry.h>
#endif
