// What the producer and the worker share, from the environment offload-bench starts them with.
const required = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set; offload-bench starts this process with it`);
  return value;
};

module.exports = {
  connection: { host: required('REDIS_HOST'), port: Number(required('REDIS_PORT')) },
  // A queue of its own per run, so a shared Redis keeps the run's jobs apart and can drop them after.
  queueName: required('QUEUE'),
};
