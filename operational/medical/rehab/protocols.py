"""Return-to-play protocols: stages with their entry criteria, minimum time and what the player may do meanwhile.

The graduated return to sport after concussion follows the Amsterdam 2022 consensus (Patricios JS et al.,
"Consensus statement on concussion in sport: the 6th International Conference on Concussion in Sport — Amsterdam,
October 2022", Br J Sports Med 2023;57:695–711): six stages of at least 24 hours each; when symptoms come back (more
than a mild, brief exacerbation) the athlete goes back a stage.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta


@dataclass(frozen=True)
class Stage:
    number: int
    name: str
    activity: str
    entry_criteria: str
    availability: str  # for training and games while at this stage (contracts.medical.AvailabilityStatus)
    restrictions: tuple[str, ...] = ()
    note_for_staff: str | None = None  # non-clinical guidance shown to coaches


@dataclass(frozen=True)
class Protocol:
    key: str
    name: str
    citation: str
    minimum_per_stage: timedelta
    stages: tuple[Stage, ...]

    def stage(self, number: int) -> Stage:
        return self.stages[number - 1]

    @property
    def last_stage(self) -> int:
        return len(self.stages)


CONCUSSION = Protocol(
    key="concussion_graduated_return",
    name="Graduated return to sport after concussion",
    citation="Patricios JS et al. Amsterdam 2022 consensus on concussion in sport. Br J Sports Med 2023;57:695–711",
    minimum_per_stage=timedelta(hours=24),
    stages=(
        Stage(1, "Symptom-limited activity", "Daily activities that do not make symptoms worse",
              "Concussion diagnosed; relative rest for the first 24–48 hours", "unavailable",
              note_for_staff="Not training"),
        Stage(2, "Aerobic exercise", "Light (2A), then moderate (2B) walking or stationary cycling; no resistance "
              "training", "At least 24 h at stage 1; symptoms no more than mildly worse with daily activity",
              "unavailable", note_for_staff="Off-ice conditioning with medical staff only"),
        Stage(3, "Individual sport-specific exercise", "Skating drills away from the team, no risk of head impact",
              "At least 24 h at stage 2 without more than a mild, brief rise in symptoms", "unavailable",
              note_for_staff="Individual skating only, away from team drills"),
        Stage(4, "Non-contact training drills", "High-intensity exercise, passing and skating drills; team "
              "training without contact", "Symptoms, cognitive function and clinical findings back to normal",
              "limited", ("no_contact",), "Non-contact team drills only"),
        Stage(5, "Full-contact practice", "Normal training activities with contact",
              "Medical clearance by a physician", "limited", (), "Full-contact practice; not cleared for games"),
        Stage(6, "Return to sport", "Normal game play", "At least 24 h of full-contact practice without symptoms",
              "available"),
    ),
)  # fmt: skip

PROTOCOLS: dict[str, Protocol] = {protocol.key: protocol for protocol in (CONCUSSION,)}


def stage_of(protocol_key: str, number: int) -> Stage:
    return PROTOCOLS[protocol_key].stage(number)
