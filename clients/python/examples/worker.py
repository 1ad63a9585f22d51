# Runs the background functions: python worker.py (OFFLOAD_URL, OFFLOAD_TOKEN as for the app).
# On SIGTERM or Ctrl-C it stops leasing, lets running tasks finish for 30 s, and hands the rest back.
import logging

from jobs import offload, render_pdf

logging.basicConfig(level=logging.INFO)
worker = offload.worker(queues=["pdf"], concurrency=8).register(render_pdf)
print(f"worker {worker.worker_id} runs {render_pdf.name} from queue {render_pdf.queue}", flush=True)
worker.run_until_stopped(grace=30)
print(f"worker {worker.worker_id} stopped", flush=True)
