#!/bin/sh
# best trial 6 of study classification-tucker3-accuracy: accuracy 0.696
tlora_train --factorization tucker3 --rank 16,4,32 --alpha 16 --learning-rate 0.00473990966765613 --weight-decay 0.0001 --n-train 2000 --num-epochs 3 "$@"
