"""The seed-style baseline: Faker called once per field per row (patients, encounters, diagnoses).

This is how hand-written synthetic EMR seeds usually look; the generator is measured against it.
"""

import datetime as dt

from faker import Faker

CODES = ["E11.9", "I10", "J18.9", "N39.0", "I50.9", "R07.9", "M54.50", "Z00.00", "K21.9", "J44.1"]
CLASSES = ["inpatient", "emergency", "outpatient", "observation"]
DEPARTMENTS = ["DEP01", "DEP02", "DEP03", "DEP04", "DEP05", "DEP06", "DEP07", "DEP08", "DEP09"]


def generate(patients: int, encounters_per_patient: int = 3, diagnoses_per_encounter: int = 3, seed: int = 1):
    """Rows as lists of dicts; returns (patients, encounters, diagnoses)."""
    fake = Faker("en_US")
    fake.seed_instance(seed)
    start, end = dt.date(2023, 1, 1), dt.date(2024, 12, 31)
    patient_rows, encounter_rows, diagnosis_rows = [], [], []
    for p in range(patients):
        patient_id = f"MRN{p + 1:08d}"
        patient_rows.append(
            {
                "patient_id": patient_id,
                "first_name": fake.first_name(),
                "last_name": fake.last_name(),
                "birth_date": fake.date_of_birth(minimum_age=0, maximum_age=95),
                "sex": fake.random_element(["F", "M"]),
                "race": fake.random_element(["White", "Black or African American", "Asian"]),
                "ethnicity": fake.random_element(["Hispanic or Latino", "Not Hispanic or Latino"]),
                "address_line": fake.street_address(),
                "city": fake.city(),
                "state": fake.state_abbr(),
                "zip_code": fake.zipcode(),
                "extracted_at": fake.date_time_between(start, end),
            }
        )
        for e in range(encounters_per_patient):
            encounter_id = f"ENC{p:08d}{e:02d}"
            admitted = fake.date_time_between(start, end)
            encounter_rows.append(
                {
                    "encounter_id": encounter_id,
                    "patient_id": patient_id,
                    "encounter_class": fake.random_element(CLASSES),
                    "admitted_at": admitted,
                    "discharged_at": admitted + dt.timedelta(hours=fake.random_int(1, 200)),
                    "department_id": fake.random_element(DEPARTMENTS),
                    "provider_id": f"PRV{fake.random_int(1, 117):05d}",
                    "payer_id": f"PAY{fake.random_int(1, 11):02d}",
                    "extracted_at": fake.date_time_between(start, end),
                }
            )
            for d in range(diagnoses_per_encounter):
                diagnosis_rows.append(
                    {
                        "diagnosis_id": f"{encounter_id}-D{d + 1:02d}",
                        "encounter_id": encounter_id,
                        "icd10_code": fake.random_element(CODES),
                        "sequence": d + 1,
                        "present_on_admission": fake.random_element(["Y", "N", "U"]),
                    }
                )
    return patient_rows, encounter_rows, diagnosis_rows
