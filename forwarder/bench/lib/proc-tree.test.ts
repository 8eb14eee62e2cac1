import { steadyRssMb } from './proc-tree';

describe('steadyRssMb', () => {
  it('is the median of the samples in the second half of the window', () => {
    // Window 0..10 s: the climb in the first half is left out, and so is the lone spike's weight.
    const samples = [
      { atMs: 0, rssMb: 40 },
      { atMs: 2_000, rssMb: 300 },
      { atMs: 4_000, rssMb: 90 },
      { atMs: 5_000, rssMb: 100 },
      { atMs: 6_000, rssMb: 104 },
      { atMs: 7_000, rssMb: 250 },
      { atMs: 8_000, rssMb: 102 },
      { atMs: 10_000, rssMb: 98 },
      { atMs: 11_000, rssMb: 500 },
    ];

    expect(steadyRssMb(samples, 0, 10_000)).toBe(102);
  });

  it('averages the two middle samples of an even count, and is NaN without samples', () => {
    const samples = [
      { atMs: 6_000, rssMb: 100 },
      { atMs: 8_000, rssMb: 110 },
    ];

    expect(steadyRssMb(samples, 0, 10_000)).toBe(105);
    expect(steadyRssMb(samples, 20_000, 30_000)).toBeNaN();
  });
});
