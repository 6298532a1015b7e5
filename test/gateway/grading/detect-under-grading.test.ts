import { detectUnderGrading } from '../../../gateway/grading/detect-under-grading';

const at = new Date('2024-02-09T10:00:00+08:00');

// rules.md: the gateway never lets a reporter grade lower than the figures require; a human
// may grade higher for "social impact".
describe('detectUnderGrading', () => {
  it('flags a level lower than the figures require', () => {
    expect(detectUnderGrading('IV', { lossYuan: '1000000.01', infected24h: 0 }, at)).toMatchObject({ underGraded: true, reported: 'IV', required: 'III' });
    expect(detectUnderGrading('II', { lossYuan: 0, infected24h: 100001 }, at)).toMatchObject({ underGraded: true, required: 'I' });
  });

  it('accepts the required level and a higher one', () => {
    expect(detectUnderGrading('III', { lossYuan: '1000000.01', infected24h: 0 }, at).underGraded).toBe(false);
    expect(detectUnderGrading('I', { lossYuan: 0, infected24h: 0 }, at)).toMatchObject({ underGraded: false, required: 'IV' });
  });

  it('at exactly a threshold the lower level is right', () => {
    expect(detectUnderGrading('IV', { lossYuan: 1000000, infected24h: 10000 }, at).underGraded).toBe(false);
  });

  it('refuses a level that is not I–IV', () => {
    expect(() => detectUnderGrading('V', { lossYuan: 0, infected24h: 0 }, at)).toThrow(expect.objectContaining({ code: 'grading.invalid-level', message: expect.stringContaining('I, II, III, IV') }));
  });
});
