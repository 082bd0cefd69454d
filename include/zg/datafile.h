/*
 * zg/datafile.h — append-only data files for bulk bytes (storage segments).
 *
 * A data file set is a directory of files named 00000000.zgd, 00000001.zgd,
 * ...; only the last one is written. Each file starts with a 16-byte header
 * ("ZGDF" "\0\0\0\1", u32 file id, u32 CRC32C of the first 12 bytes), then
 * holds records in the canonical frame of zg/codec.h:
 *     u32 L | L payload bytes | u32 CRC32C(L field || payload)    (big-endian)
 * A record never spans two files: when the next frame would take the last
 * file past file_limit, a new file is started (a record bigger than the limit
 * gets a file of its own).
 *
 * A record is addressed by the location zg_datafile_append returns (file id,
 * frame offset, payload length); keep it in an index (zg/kvdb.h). Reading a
 * location re-checks the length field and the CRC: a damaged record is
 * ZG_ECORRUPT, a missing or cut one ZG_ETRUNC; the output is zeroed then,
 * never garbage.
 *
 * Durability discipline: zg_datafile_append only writes (pwritev, no sync);
 * zg_datafile_sync makes every record appended so far durable: fdatasync of
 * each file written since the previous sync, and an fsync of the directory
 * when files were created or removed. A caller indexes a location only after
 * a sync that covered it ("data first, index second"), and on restart
 * truncates back to the end its index knows (zg_datafile_truncate) or, with
 * no index, to the last valid frame (zg_datafile_recover).
 *
 * Failures: a failed append (ENOSPC -> ZG_EFULL, other errors -> ZG_EIO)
 * truncates the file back to where the record started, so the records before
 * it are untouched and the set stays appendable. A failed sync leaves the
 * records since the previous sync in an unknown state: the caller must
 * truncate back to its last durable end (the log store does).
 *
 * Threads: one appender (append, sync, truncate, recover are serialised by
 * the caller) and any number of concurrent readers; reads take a shared lock
 * on the file table, truncation an exclusive one. Files are opened for
 * reading lazily and stay open until close (one descriptor per file read).
 */
#ifndef ZG_DATAFILE_H
#define ZG_DATAFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "zg/bytes.h"
#include "zg/err.h"

#define ZG_DATAFILE_HEADER_SIZE 16u
#define ZG_DATAFILE_DEFAULT_LIMIT ((uint64_t)1 << 30)

/* Fault injection for tests (STYLE point 17): a borrowed struct whose
 * counters the store bumps. The Nth data write (pwritev of one record) or
 * Nth data sync fails with errno err (0 means ENOSPC); a failed write first
 * writes part of the record, like a disk filling up mid-write. The log store
 * also counts its index commits and fails the Nth one the same way. 0 in a
 * fail_*_at field never fails. */
typedef struct {
  long fail_write_at, fail_sync_at, fail_commit_at;
  int err;
  long writes, syncs, commits; /* operations seen so far */
} zg_store_fault_t;

typedef struct {
  uint64_t file_limit;     /* roll to a new file past this size (0: ZG_DATAFILE_DEFAULT_LIMIT) */
  bool no_sync;            /* skip fdatasync/fsync: NOT crash-safe, for tests and benches */
  zg_store_fault_t *fault; /* borrowed for the life of the handle; NULL: none */
} zg_datafile_opts_t;

/* A position in the set: the end of the data when taken from
 * zg_datafile_tail. */
typedef struct {
  uint32_t file;
  uint64_t off;
} zg_datafile_pos_t;

/* Where a record lives: file id, offset of its frame, payload length. */
typedef struct {
  uint32_t file;
  uint64_t off;
  uint32_t len;
} zg_datafile_loc_t;

/* A writable piece of a scattered read. */
typedef struct {
  uint8_t *ptr;
  size_t len;
} zg_datafile_iov_t;

typedef struct zg_datafile zg_datafile_t;

/* Opens the set in dir (created when missing, with an empty file 0). The
 * tail is the end of the last file as found: call zg_datafile_truncate or
 * zg_datafile_recover before appending after a crash. A last file whose
 * header is torn (shorter than a header, or all zeros) is re-initialised;
 * any other bad header is ZG_ECORRUPT. opts may be NULL. *out is NULL on failure. */
ZG_WARN_UNUSED zg_err_t zg_datafile_open(zg_datafile_t **out, const char *dir,
                                         const zg_datafile_opts_t *opts);
/* Closes every file. Unsynced records may be lost. NULL is ignored. */
void zg_datafile_close(zg_datafile_t *df);

/* Appends one record whose payload is the concatenation of the nparts
 * slices (borrowed for the call; at most 16 parts, total < 4 GiB - 8), and
 * sets *loc. Not durable until zg_datafile_sync. On failure nothing of the
 * record remains and *loc is zeroed. */
ZG_WARN_UNUSED zg_err_t zg_datafile_append(zg_datafile_t *df, zg_datafile_loc_t *loc, const zg_slice_t *parts,
                                           size_t nparts);
/* Makes every appended record durable (see the discipline above). */
ZG_WARN_UNUSED zg_err_t zg_datafile_sync(zg_datafile_t *df);

/* Reads the record at loc, scattering its payload over parts (whose lengths
 * must add up to loc->len; ZG_EINVAL otherwise), after checking the frame.
 * ZG_ECORRUPT: length field or CRC wrong; ZG_ETRUNC: the file ends inside
 * the record or is missing. parts are zeroed on failure. Thread-safe. */
ZG_WARN_UNUSED zg_err_t zg_datafile_read(zg_datafile_t *df, const zg_datafile_loc_t *loc,
                                         const zg_datafile_iov_t *parts, size_t nparts);

/* The current end of the data (where the next record would go, before any
 * roll). */
zg_datafile_pos_t zg_datafile_tail(zg_datafile_t *df);

/* Drops everything after pos: later files are removed and pos.file is cut
 * to pos.off (made durable unless no_sync). ZG_EINVAL for a position before
 * a header; ZG_ETRUNC when pos lies past the data present (the tail is then
 * left at the real end of the data, and the caller should treat the records
 * it indexed beyond it as lost). */
ZG_WARN_UNUSED zg_err_t zg_datafile_truncate(zg_datafile_t *df, const zg_datafile_pos_t *pos);

/* Walks the last file frame by frame and truncates it after the last valid
 * frame (a torn or corrupt tail is dropped); *end receives the new tail.
 * Memory use is bounded (a 64 KiB buffer), not the size of a record. */
ZG_WARN_UNUSED zg_err_t zg_datafile_recover(zg_datafile_t *df, zg_datafile_pos_t *end);

/* Internal, for tests and the fuzz target: checks a 16-byte file header and
 * returns its file id. ZG_ETRUNC when len < 16, ZG_ECORRUPT when the magic or
 * CRC is wrong. */
ZG_WARN_UNUSED zg_err_t zg__datafile_header_parse(uint32_t *file_id, const uint8_t *p, size_t len);
/* Internal: writes the header of file id into out[16]. */
void zg__datafile_header_make(uint8_t out[16], uint32_t file_id);

#endif
