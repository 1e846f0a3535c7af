/**
 * Tells a first factor's two answers apart: the session, or the second step. A file of its own so
 * the headless client's bundle carries only this line of the second factor's code; the calls are a
 * chunk it fetches where the server has the second factor on.
 */
import type { FirstFactorResponse, SecondFactorChallenge } from '../../../contract/second-factor.ts';

export const isChallenge = (data: FirstFactorResponse): data is SecondFactorChallenge => 'secondFactor' in data;
