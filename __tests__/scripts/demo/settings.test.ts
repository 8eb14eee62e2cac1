import { choiceSetting, numberSetting, silenceWindowSeconds, switchSetting } from '../../../scripts/demo/settings';

const NAMES = ['DEMO_TEST_NUMBER', 'DEMO_TEST_SWITCH', 'DEMO_TEST_CHOICE', 'DEMO_SILENCE_WINDOW'];
const saved = Object.fromEntries(NAMES.map((name) => [name, process.env[name]]));
afterEach(() => {
  for (const name of NAMES) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
});

/** Runs `read` with `name` set to `value` (undefined: unset). */
function withSetting<T>(name: string, value: string | undefined, read: () => T): T {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
  return read();
}

describe('demo settings: numbers', () => {
  it('takes the fallback when unset or empty, and any number in range', () => {
    expect(withSetting('DEMO_TEST_NUMBER', undefined, () => numberSetting('DEMO_TEST_NUMBER', 7, 0))).toBe(7);
    expect(withSetting('DEMO_TEST_NUMBER', '', () => numberSetting('DEMO_TEST_NUMBER', 7, 0))).toBe(7);
    expect(withSetting('DEMO_TEST_NUMBER', '0', () => numberSetting('DEMO_TEST_NUMBER', 7, 0))).toBe(0);
    expect(withSetting('DEMO_TEST_NUMBER', '2.5', () => numberSetting('DEMO_TEST_NUMBER', 7, 1, 3))).toBe(2.5);
    expect(withSetting('DEMO_TEST_NUMBER', '3', () => numberSetting('DEMO_TEST_NUMBER', 7, 1, 3))).toBe(3);
  });

  it('refuses a value that is not a number or out of range, naming the setting, the range and the value', () => {
    const read = (value: string, max?: number) => () =>
      withSetting('DEMO_TEST_NUMBER', value, () => numberSetting('DEMO_TEST_NUMBER', 7, 1, max));
    expect(read('soon')).toThrow(new Error('DEMO_TEST_NUMBER must be a number of at least 1 (got "soon")'));
    expect(read('0.5')).toThrow(new Error('DEMO_TEST_NUMBER must be a number of at least 1 (got "0.5")'));
    expect(read('Infinity')).toThrow(new Error('DEMO_TEST_NUMBER must be a number of at least 1 (got "Infinity")'));
    expect(read('4', 3)).toThrow(new Error('DEMO_TEST_NUMBER must be a number from 1 to 3 (got "4")'));
    expect(read('0', 3)).toThrow(new Error('DEMO_TEST_NUMBER must be a number from 1 to 3 (got "0")'));
  });
});

describe('demo settings: switches', () => {
  it('is on for 1 only, off for 0, empty or unset', () => {
    expect(withSetting('DEMO_TEST_SWITCH', '1', () => switchSetting('DEMO_TEST_SWITCH'))).toBe(true);
    expect(withSetting('DEMO_TEST_SWITCH', '0', () => switchSetting('DEMO_TEST_SWITCH'))).toBe(false);
    expect(withSetting('DEMO_TEST_SWITCH', '', () => switchSetting('DEMO_TEST_SWITCH'))).toBe(false);
    expect(withSetting('DEMO_TEST_SWITCH', undefined, () => switchSetting('DEMO_TEST_SWITCH'))).toBe(false);
  });

  it('refuses anything else rather than guessing', () => {
    for (const value of ['true', 'yes', '2', 'on']) {
      expect(() => withSetting('DEMO_TEST_SWITCH', value, () => switchSetting('DEMO_TEST_SWITCH'))).toThrow(
        new Error(`DEMO_TEST_SWITCH must be 1 (on) or 0 (off) (got "${value}")`),
      );
    }
  });
});

describe('demo settings: choices', () => {
  const choices = ['fraud_detection', 'document_ocr'];

  it('takes the fallback when unset or empty, and any of the choices', () => {
    expect(withSetting('DEMO_TEST_CHOICE', undefined, () => choiceSetting('DEMO_TEST_CHOICE', 'fraud_detection', choices))).toBe(
      'fraud_detection',
    );
    expect(withSetting('DEMO_TEST_CHOICE', '', () => choiceSetting('DEMO_TEST_CHOICE', 'fraud_detection', choices))).toBe(
      'fraud_detection',
    );
    expect(withSetting('DEMO_TEST_CHOICE', 'document_ocr', () => choiceSetting('DEMO_TEST_CHOICE', 'fraud_detection', choices))).toBe(
      'document_ocr',
    );
  });

  it('refuses another value, listing the choices', () => {
    expect(() =>
      withSetting('DEMO_TEST_CHOICE', 'Document_OCR', () => choiceSetting('DEMO_TEST_CHOICE', 'fraud_detection', choices)),
    ).toThrow(new Error('DEMO_TEST_CHOICE must be one of fraud_detection, document_ocr (got "Document_OCR")'));
  });
});

describe('DEMO_SILENCE_WINDOW', () => {
  it('is 60 s by default, and at least two count intervals (20 s)', () => {
    expect(withSetting('DEMO_SILENCE_WINDOW', undefined, silenceWindowSeconds)).toBe(60);
    expect(withSetting('DEMO_SILENCE_WINDOW', '20', silenceWindowSeconds)).toBe(20);
    expect(withSetting('DEMO_SILENCE_WINDOW', '600', silenceWindowSeconds)).toBe(600);
    expect(() => withSetting('DEMO_SILENCE_WINDOW', '19', silenceWindowSeconds)).toThrow(
      new Error('DEMO_SILENCE_WINDOW must be a number of at least 20 (got "19")'),
    );
  });
});
