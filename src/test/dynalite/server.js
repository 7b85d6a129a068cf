// Starts dynalite (in memory) on 127.0.0.1 at a free port, prints the port on one line, and stops when the test
// JVM closes stdin, so no server outlives the tests that started it.
const dynalite = require('dynalite');

const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
server.listen(0, '127.0.0.1', () => {
  process.stdout.write('dynalite listening on port ' + server.address().port + '\n');
});
process.stdin.resume();
process.stdin.on('end', () => process.exit(0));
process.stdin.on('error', () => process.exit(0));
