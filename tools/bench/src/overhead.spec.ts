import { rotation } from './overhead';

describe('rotation', () => {
  it('gives every variant every position once over as many rounds as variants', () => {
    const variants = ['a', 'b', 'c'];
    const rounds = [0, 1, 2].map((round) => rotation(variants, round));
    expect(rounds).toEqual([
      ['a', 'b', 'c'],
      ['b', 'c', 'a'],
      ['c', 'a', 'b'],
    ]);
    expect(rotation(variants, 3)).toEqual(rounds[0]);
  });
});
