/* SPDX-License-Identifier: MIT */
/*
 * writer.h - group commit: one thread owns the write connection and commits batches.
 *
 * "Acknowledged = committed": a request is answered 2xx only after the transaction that holds
 * its rows has committed with synchronous=FULL. Committing each request alone would cost one
 * fsync per request; instead handlers submit a job and suspend their connection, and the writer
 * takes every job waiting (up to batch_max), runs them in one transaction (one fsync) and calls
 * each job's done() with the outcome. A job whose apply() fails does not sink its batch: the
 * batch is rolled back and its jobs are replayed one transaction each, so only the bad job fails.
 *
 * After a successful commit the writer publishes the job's posts, then its events, to the bus,
 * in commit order.
 */
#ifndef GR_APP_WRITER_H
#define GR_APP_WRITER_H

#include <stddef.h>

#include "app/bus.h"
#include "app/metrics.h"
#include "store/store.h"

struct gr_write_job;

struct gr_write_job {
    struct gr_write_job *next; /* owned by the writer while queued */
    /* Runs inside the batch transaction; may be run twice (after a batch rollback), so it must
     * only write through st and not change state outside the job. */
    gr_err (*apply)(struct gr_store *st, struct gr_write_job *job);
    /* Called once, on the writer thread, after commit (rc GR_OK) or failure. The job is the
     * callee's again from here; the writer never touches it afterwards. */
    void (*done)(struct gr_write_job *job, gr_err rc);
    /* Posts that apply() wrote, published to the bus after commit (may be NULL/0). */
    struct gr_post *posts;
    size_t nposts;
    /* Events published to the bus after commit, after the posts, in this order (may be
     * NULL/0). Filled in by apply() or by the submitter; owned by the job's owner. */
    const struct gr_bus_event *events;
    size_t nevents;
};

struct gr_writer;

/* Starts the writer thread on st (the writer owns st from here and closes it in _stop). */
gr_err gr_writer_start(struct gr_store *st, struct gr_bus *bus, struct gr_metrics *m,
                       size_t batch_max, struct gr_writer **out);
/* Queues a job. Returns GR_ECLOSED (job not taken) once stopping has begun. */
gr_err gr_writer_submit(struct gr_writer *w, struct gr_write_job *job);
/* Commits every job already queued, stops the thread, closes the store and frees. */
void gr_writer_stop(struct gr_writer *w);

#endif
