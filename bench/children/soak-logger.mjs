/** Soak workload: 100 lines a second on stdout, forever. */
let i = 0;
setInterval(() => console.log(`soak line ${i++} ${'x'.repeat(40)}`), 10);
