import { envNumberList } from './report';

describe('envNumberList', () => {
  const name = 'BENCH_TEST_NUMBER_LIST';
  afterEach(() => {
    delete process.env[name];
  });

  it('reads comma-separated positive numbers, spaces allowed', () => {
    process.env[name] = '1000, 5000,20000';
    expect(envNumberList(name, [1])).toEqual([1000, 5000, 20000]);
  });

  it('falls back when unset or empty', () => {
    expect(envNumberList(name, [1, 2])).toEqual([1, 2]);
    process.env[name] = ' ';
    expect(envNumberList(name, [3])).toEqual([3]);
  });

  it.each(['1000,', 'fast', '0', '-5', '1000,,5000'])('refuses %j', (raw) => {
    process.env[name] = raw;
    expect(() => envNumberList(name, [1])).toThrow(/positive numbers separated by commas/);
  });
});
