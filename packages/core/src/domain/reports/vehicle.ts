import type { MessageKey } from "../i18n.ts";
import { normalizePlate } from "../plate.ts";

/**
 * The vehicle type a plate suggests, as a catalogue key (the form shows it in the user's language
 * and the officer corrects it when the guess is wrong). Read from what the characters say about
 * the plate's colour and length (GA 36):
 * - 8 characters are new-energy (green) plates: D/F after the city letter = small car (豫AD12345),
 *   D/F at the end = large vehicle (豫A12345D);
 * - the last character names special plates: 挂 trailer, 学 driving-school car, 警 police,
 *   港/澳 cross-border, 领 consulate, 试 test vehicle;
 * - an ordinary 7-character plate is blue (small car) far more often than yellow: small car.
 */
export function guessVehicleType(plate: string): MessageKey {
  const p = normalizePlate(plate);
  const last = p.slice(-1);
  if (p.length === 8) {
    if (/[DF]$/.test(p)) return "report-vehicle-type-large-nev";
    return "report-vehicle-type-small-nev";
  }
  switch (last) {
    case "挂":
      return "report-vehicle-type-trailer";
    case "学":
      return "report-vehicle-type-school";
    case "警":
      return "report-vehicle-type-police";
    case "港":
    case "澳":
      return "report-vehicle-type-cross-border";
    case "领":
      return "report-vehicle-type-consulate";
    case "试":
      return "report-vehicle-type-test";
    default:
      return "report-vehicle-type-small";
  }
}
