/* SPDX-License-Identifier: MIT */
/* app_int.h - helpers shared between files of the app module only. */
#ifndef GR_APP_APP_INT_H
#define GR_APP_APP_INT_H

#include "store/store.h"

/* Finds or creates (inside the caller's transaction) the DM channel between users a and b and
 * writes its id to id_out. ingest.c. */
gr_err gr_app__dm_channel(struct gr_store *st, const char *a, const char *b,
                          char id_out[GR_ID_SIZE]);

#endif
