package dev.homeroom.testkit.internal;

/** ASCII name pools: the only non-ASCII names in a district are the ones a quirk puts there. */
final class Names {
    private Names() {}

    static final String[] FIRST = {
        "Ava", "Liam", "Olivia", "Noah", "Emma", "Mason", "Sophia", "Ethan", "Isabella", "Lucas",
        "Mia", "James", "Amelia", "Benjamin", "Harper", "Elijah", "Evelyn", "Henry", "Abigail", "Alexander",
        "Ella", "Daniel", "Grace", "Samuel", "Chloe", "David", "Lily", "Joseph", "Nora", "Owen",
        "Hannah", "Caleb", "Layla", "Isaac", "Zoe", "Aaron", "Ruby", "Miles", "Alice", "Jasper",
        "Maya", "Leo", "Naomi", "Ezra", "Clara", "Adrian", "Stella", "Julian", "Hazel", "Kai"};

    static final String[] LAST = {
        "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
        "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin",
        "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson",
        "Walker", "Young", "Allen", "King", "Wright", "Scott", "Torres", "Nguyen", "Hill", "Flores",
        "Green", "Adams", "Nelson", "Baker", "Hall", "Rivera", "Campbell", "Mitchell", "Carter", "Roberts"};

    static final String[] CITIES = {"Riverton", "Lakeside", "Fairview", "Georgetown", "Oak Hill"};

    static final String[] SUBJECTS = {
        "english/language arts", "math", "science", "social studies", "language", "arts and music",
        "PE and health", "technology and engineering"};

    static final String[] COURSE_NAMES = {
        "English Language Arts", "Mathematics", "Science", "Social Studies", "Spanish", "Art and Music",
        "Physical Education", "Technology"};

    static final String[] LEVELS = {"Elementary", "Middle", "High"};

    static final String[][] GRADES = {
        {"Kindergarten", "1", "2", "3", "4", "5"},
        {"6", "7", "8"},
        {"9", "10", "11", "12"}};

    /** Numeric grade of the first grade of each level (Kindergarten = 0). */
    static final int[] FIRST_GRADE = {0, 6, 9};

    static final String[] GENDERS = {"F", "M", "X", ""};

    static final String[] RACES = {
        "Caucasian", "Asian", "Black or African American", "American Indian",
        "Hawaiian or Other Pacific Islander", "Two or More Races", "Unknown", ""};
}
