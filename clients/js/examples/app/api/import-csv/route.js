// A CSV import far longer than the platform lets one call run. Start it with
//   offload.tasks.create({ callbackUrl: 'https://app.example.com/api/import-csv', payload: { rows: 5000 } })
// Offload calls this route again and again; each call imports chunks until its 10 s budget is near,
// then answers with a continuation and the state. A chunk that finished is never imported twice.
import { steps } from '@offload/client';

const CHUNK = 500;

/** Stands in for reading rows [from, to) of the file and writing them to the database. */
async function importRows(from, to) {
  await new Promise((done) => setTimeout(done, 20));
  return to - from;
}

export const POST = steps(async ({ rows }, step) => {
  let imported = 0;
  for (let from = 0; from < rows; from += CHUNK) {
    imported += await step.run(`rows-${from}`, () => importRows(from, Math.min(rows, from + CHUNK)));
  }
  return { imported };
}, { budget: '10s', secret: process.env.OFFLOAD_SIGNING_SECRETS ? true : undefined });
