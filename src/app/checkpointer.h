/* SPDX-License-Identifier: MIT */
/*
 * checkpointer.h - a background thread that copies the SQLite WAL back into the database.
 *
 * The writer's connection has automatic checkpoints turned off (GR_STORE_NO_AUTOCHECKPOINT):
 * otherwise every thousandth page of WAL makes one unlucky commit copy megabytes and fsync the
 * database before it can answer its requests. This thread runs PASSIVE checkpoints instead,
 * every 100 ms while posts are being written; they never block the writer or readers.
 */
#ifndef GR_APP_CHECKPOINTER_H
#define GR_APP_CHECKPOINTER_H

#include "app/metrics.h"
#include "core/err.h"

struct gr_checkpointer;

gr_err gr_checkpointer_start(const char *db_url, struct gr_metrics *m,
                             struct gr_checkpointer **out);
/* Runs a last checkpoint, stops the thread, frees. Accepts NULL. */
void gr_checkpointer_stop(struct gr_checkpointer *c);

#endif
