package io.tiergate.classifier.sensitive;

import static io.tiergate.classifier.sensitive.SensitiveKind.DATE_OF_BIRTH;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A date of birth counts next to a person's name; the field, a year, or a placeholder person do not. */
class SensitiveBirthDatesTest {

    private final SensitiveDataDetector detector = new SensitiveDataDetector();

    @ParameterizedTest(name = "date of birth: {0}")
    @ValueSource(
            strings = {
                "Sabine Krüger, DOB 14.03.1986, team Controlling",
                "Patient: Okonkwo, Chinedu; Date of birth: 1979-11-02",
                "Mr. Paul Jennings (born on 5 May 1961) joins us",
                "Herr Michael Schubert, geb. 23.07.1975 in Dresden",
                "Mme Isabelle Moreau, née le 12 février 1990 à Lyon",
                "paciente Carmen Vidal Soto, fecha de nacimiento 03/08/1958",
                "Policyholder: Gareth Evans\nDate of Birth: 22 September 1983",
                "il signor Francesco Greco, nato il 30/01/1949",
                "Jan de Vries, geboren op 17-06-1932 te Utrecht",
                "my mother, Rosa Lima, birthdate March 9, 1957",
                "Employee: Haruto Suzuki, DOB: 1992-04-18",
                "Patient Maria, DOB 12/03/1985",
                "my son Liam, born 04/05/2015",
                "Name: Oduya, Grace - DOB 12-Mar-1985",
                "Hi, I'm Tomasz and my date of birth is 7 Nov 1991",
                "LAB REPORT  MRN 73009412  Chloe Ferreira  DOB 10.05.1965",
                "Date of Birth (DOB): 03-15-1982, patient John Smith",
                "Patient: Anna Kowalska, D.O.B. 15/03/1982",
            })
    void findsDatesOfBirthOfNamedPeople(String text) {
        assertThat(detector.detect(text)).contains(DATE_OF_BIRTH);
    }

    @ParameterizedTest(name = "no date of birth: {0}")
    @ValueSource(
            strings = {
                "What's the best column type for date of birth in PostgreSQL?",
                        "Validate a DOB field: must be YYYY-MM-DD",
                "Formularfeld: Geburtsdatum (TT.MM.JJJJ)", "The Unix epoch was born on 1 January 1970 - why that date?",
                "{\"name\": \"John Doe\", \"dob\": \"1990-01-01\"}", "Name: Max Mustermann, geb. 01.01.1980",
                "born in 1985, she moved to Lyon", "Born on 1 January 2000? Then explain the Y2K bug.",
                "Our ERP stores Geburtsdatum as 01.01.1900 when unknown.", "The date of birth field is optional.",
            })
    void ignoresFieldsYearsAndPlaceholderPeople(String text) {
        assertThat(detector.detect(text)).doesNotContain(DATE_OF_BIRTH);
    }
}
