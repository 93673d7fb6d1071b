META
key;value
description;Spring round – Riverside, with council rules
budget;1000
vote_type;approval
rule;greedy
constraints;{"category_max":{"transport":"50%"},"exclusive":[["c","d"]]}
PROJECTS
project_id;cost;name;category;area
a;400;Bus shelter;transport;1
b;300;Cycle racks;transport;2
c;300;Pocket park;parks;1
d;200;Tree planting;parks;2
e;100;Mural;culture;2
f;150;Pond;parks;1
VOTES
voter_id;vote
1;a,b,c,d,f,e
2;a,b,c,d,f,e
3;a,b,c,d,f,e
4;a,b,c,d,f,e
5;a,b,c,d,f,e
6;a,b,c,d,f
7;a,b,c,d
8;a,b,c
9;a,b
10;a
