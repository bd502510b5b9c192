/* pl_collate.h — Polish alphabetical order for names on vote lists and
 * protocols: a ą b c ć d e ę f g h i j k l ł m n ń o ó p r s ś t u w y z ź ż
 * (q v x in their Latin places), case and other languages' accents deciding
 * only between otherwise equal names. The C library's strcoll would need a
 * pl_PL locale installed and selected process-wide, which a server cannot
 * rely on. Pure functions on UTF-8. */
#ifndef OBR_PL_COLLATE_H
#define OBR_PL_COLLATE_H

/* <0, 0, >0 as a sorts before, equal to, after b (NULL as ""). Spaces,
 * hyphens, apostrophes and dots are ignored unless they alone differ. */
int pl_compare(const char *a, const char *b);

/* Names as people are listed in a protocol: by surname (the last word),
 * then by the whole name, both with pl_compare. */
int pl_compare_names(const char *a, const char *b);

#endif
