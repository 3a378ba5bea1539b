"""The benchmark's training runs: one injected bug each (several per cause where the
symptoms differ), and healthy runs for false alarms.

Each entry is a real training run (see :mod:`.train`); ``person`` records what the user
sees on their curves and knows of their code, for the simulated user.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from .models import ModelSpec as M
from .spec import Scenario as S

__all__ = ["SCENARIOS", "by_id", "SMOKE"]

MLP = M("mlp", dims=(20, 64, 64, 5))
CNN = M("cnn", classes=4)
RNN = M("rnn", rnn_cell="GRU", classes=4)
TFM = M("transformer", classes=4, hidden=32)
BLOBS = {"sep": 0.5}

#: Short names of the curve facts a person reads off their own plots.
CURVE = {
    "rising": "loss.rising", "plateau": "loss.plateau", "linear": "loss.linear_decline",
    "oscillating": "loss.oscillating", "periodic": "loss.oscillation_periodic",
    "spikes": "loss.spikes", "grad_spikes": "grad.norm_spikes", "near_zero": "loss.near_zero",
    "val_rising": "val.rising_while_train_falls", "val_oscillating": "val.oscillating",
    "close_high": "train_val.close_and_high", "both_zero": "train_val.both_near_zero",
    "diverged": "loss.diverged",
    "still_improving": "train.still_improving_at_end", "plateau_late": "loss.plateau_late",
    "train_good_test_bad": "metric.train_good_test_bad",
    "acc_flat": "metric.flat_while_loss_falls", "acc_falls": "metric.acc_falls_while_loss_falls",
    "eval_worse": "metric.eval_mode_much_worse",
}


def seen(*names: str) -> dict[str, Any]:
    """What the person sees on their curves: these facts are true (others false).

    Accuracy at chance or at the majority share is measured from the log (see truth.py).
    """
    return {CURVE[n]: True for n in names}

SEQ = {"length": 20}

HEALTHY: list[S] = [
    S("healthy_mlp_adam", (), MLP, "Just a sanity check: is this training run healthy?",
      "none", task_kwargs=BLOBS, epochs=6),
    S("healthy_cnn_sgd_cosine", (), M("cnn", classes=4, batchnorm=True),
      "帮我看看这个训练有没有问题", "none", task="images", optimizer="sgd", lr=0.05,
      momentum=0.9, weight_decay=5e-4, decay_bias=False, schedule="cosine", epochs=5),
    S("healthy_rnn_gru", (), RNN, "can you check my GRU run before I scale it up?", "none",
      task="sequences", task_kwargs=SEQ, lr=3e-3, epochs=6, log_format="jsonl"),
    S("healthy_transformer", (), TFM, "训练看起来正常，想确认一下", "none", task="tokens",
      optimizer="adamw", lr=2e-3, schedule="cosine", clip=1.0, epochs=6,
      ckpt_key="state_dict"),
    S("healthy_mlp_bn_step", (), M("mlp", dims=(20, 64, 64, 5), batchnorm=True),
      "validation accuracy is about 90%, anything I should fix?", "none", task_kwargs=BLOBS,
      optimizer="sgd", lr=0.05, momentum=0.9, schedule="step", epochs=6),
    S("healthy_regression", (), M("mlp", dims=(10, 32, 1)),
      "regression run, loss went down nicely; double-checking before the real run", "none",
      task="regression", loss="mse", lr=1e-2, epochs=5, log_format="jsonl"),
]

BROKEN: list[S] = [
    # ---------------------------------------------------------------- learning rate
    S("lr_too_high_nan_regression", ("lr_too_high",), M("mlp", dims=(10, 32, 1)),
      "my loss suddenly turns into NaN after a few dozen steps", "SGD lr=0.1, momentum 0.9",
      task="regression", loss="mse", optimizer="sgd", lr=0.1, momentum=0.9, epochs=5),
    S("lr_too_high_diverge_cnn", ("lr_too_high",), M("cnn", classes=4, act="Tanh"),
      "loss 一开始就往上涨，涨到几百然后一直很高", "SGD lr=3.0, momentum 0.9 on a tanh CNN",
      task="images", optimizer="sgd", lr=3.0, momentum=0.9, log_format="jsonl"),
    S("lr_too_high_explode_dead_mlp", ("lr_too_high",), MLP,
      "the loss explodes to hundreds in the first steps, then stays stuck at 1.6",
      "Adam lr=1.0", task_kwargs=BLOBS, lr=1.0),
    S("lr_too_high_oscillate_tfm", ("lr_too_high",), TFM,
      "the loss jumps up and down wildly and never settles", "Adam lr=0.2 on a transformer",
      task="tokens", lr=0.2, epochs=4),
    S("lr_too_low_mlp", ("lr_too_low",), MLP,
      "loss is decreasing but incredibly slowly, almost a straight line", "Adam lr=1e-4",
      task_kwargs=BLOBS, lr=1e-4, epochs=6,
      person=seen("linear", "close_high", "still_improving")),
    S("lr_too_low_tfm", ("lr_too_low",), TFM, "loss 下降得特别慢，几乎是一条直线",
      "Adam lr=3e-5 on a transformer", task="tokens", lr=3e-5, log_format="jsonl",
      person=seen("linear", "close_high", "still_improving")),
    # ---------------------------------------------------------------- initialisation
    S("zero_weight_init_mlp", ("zero_weight_init",), M("mlp", dims=(20, 64, 64, 5),
                                                       init="zeros"),
      "loss barely improves (1.6 to 1.3) and accuracy stays under 40%",
      "all weight matrices initialised to zero", task_kwargs=BLOBS),
    S("zero_weight_init_cnn", ("zero_weight_init",), M("cnn", classes=4, init="const"),
      "my CNN is much worse than the same net in the tutorial and its loss is noisy",
      "every weight initialised to the constant 0.05", task="images", optimizer="sgd",
      lr=0.05, momentum=0.9),
    S("bad_weight_init_mlp", ("bad_weight_init",), M("mlp", dims=(20, 64, 64, 5),
                                                     init="normal:3"),
      "the initial loss is in the hundreds, way above log(5)",
      "weights drawn from N(0, 3^2) instead of Kaiming", task_kwargs=BLOBS, lr=1e-3),
    S("bad_weight_init_cnn", ("bad_weight_init",), M("cnn", classes=4, init="last_scale:100"),
      "初始 loss 特别大（二十多），之后停在 1.4 不动", "output layer weights scaled by 100",
      task="images", optimizer="sgd", lr=0.01, momentum=0.9),
    # ---------------------------------------------------------------- data
    S("input_not_normalized_cnn_uint8", ("input_not_normalized",),
      M("cnn", classes=4, cast_float=True),
      "my CNN on raw images doesn't learn, the loss is huge and erratic",
      "uint8 pixels 0-255 fed without scaling", task="images", data_bug="uint8",
      optimizer="sgd", lr=0.01, momentum=0.9),
    S("input_not_normalized_mlp_raw", ("input_not_normalized",), MLP,
      "tabular model: loss shoots up then stalls, accuracy poor",
      "tabular features in raw units (1 to 3000), never standardised", task_kwargs=BLOBS,
      data_bug="raw_scale", optimizer="sgd", lr=0.01, momentum=0.9, log_format="jsonl"),
    S("labels_wrong_mlp_shuffled", ("labels_wrong",), MLP,
      "training loss barely decreases and validation accuracy is at chance",
      "training labels shuffled independently of the inputs", task_kwargs=BLOBS,
      data_bug="shuffle_labels"),
    S("labels_wrong_cnn_rolled", ("labels_wrong",), CNN,
      "验证集准确率一直是随机水平，训练 loss 也几乎不降",
      "training labels shifted by one row (bad join)", task="images", data_bug="roll_labels"),
    S("data_not_shuffled_mlp", ("data_not_shuffled",), MLP,
      "the loss has a weird sawtooth pattern that repeats every epoch",
      "training set sorted by class, shuffle=False", task_kwargs=BLOBS, order="sorted",
      optimizer="sgd", lr=0.05, momentum=0.9, epochs=6),
    S("data_not_shuffled_rnn", ("data_not_shuffled",), RNN,
      "每个 epoch 的 loss 曲线都是一样的锯齿形状", "sequences sorted by class, no shuffling",
      task="sequences", task_kwargs=SEQ, order="sorted", lr=3e-3, epochs=6,
      log_format="jsonl"),
    S("batch_single_class_cnn", ("batch_single_class",), CNN,
      "the loss swings wildly from batch to batch and the model predicts one class",
      "a class-grouped sampler: every batch holds one class", task="images",
      order="single_class", optimizer="sgd", lr=0.05, momentum=0.9),
    S("batch_single_class_mlp", ("batch_single_class",), MLP,
      "loss oscillates a lot between steps, validation accuracy is poor",
      "every batch holds one class (batches shuffled)", task_kwargs=BLOBS,
      order="single_class", optimizer="sgd", lr=0.05, momentum=0.9, log_format="jsonl"),
    S("class_imbalance_mlp", ("class_imbalance",), MLP,
      "accuracy is 80%, exactly the share of the biggest class: it predicts that class always",
      "class 0 is ~80% of the data, no reweighting", task_kwargs=BLOBS,
      data_bug="imbalance", n_train=2048, n_val=512),
    S("distribution_shift_mlp", ("distribution_shift",), MLP,
      "great on the training data, but validation is bad from the very first epoch",
      "validation data scaled and shifted (another sensor)", task_kwargs=BLOBS,
      data_bug="shift_val"),
    # ---------------------------------------------------------------- output layer and loss
    S("activation_before_softmax_mlp", ("activation_before_softmax",),
      M("mlp", dims=(20, 64, 64, 5), final="relu"),
      "the loss stops improving around 0.8 and accuracy won't go above 75%",
      "ReLU applied to the logits before CrossEntropyLoss", task_kwargs=BLOBS),
    S("activation_before_softmax_cnn", ("activation_before_softmax",),
      M("cnn", classes=4, final="sigmoid"),
      "the loss stays above 1.0 even though accuracy reaches 77%",
      "sigmoid applied to the logits before CE",
      task="images", log_format="jsonl"),
    S("softmax_wrong_dim_mlp", ("softmax_wrong_dim",),
      M("mlp", dims=(20, 64, 64, 5), final="log_softmax0"),
      "the loss starts at 3.5 instead of ln(5)=1.6 and validation loss is even higher",
      "log_softmax over dim=0 (the batch) + NLLLoss", task_kwargs=BLOBS, loss="nll"),
    S("softmax_wrong_dim_tfm", ("softmax_wrong_dim",),
      M("transformer", classes=4, hidden=32, final="log_softmax0"),
      "训练 loss 起始值 3.5 左右，比 ln(4) 大很多，验证 loss 更高", "log_softmax over the batch",
      task="tokens", loss="nll"),
    S("loss_sign_error_mlp", ("loss_sign_error",), MLP,
      "my loss is negative and keeps going down to -1000", "loss = -cross_entropy",
      task_kwargs=BLOBS, loss="neg_ce"),
    S("loss_sign_error_rnn", ("loss_sign_error",), RNN, "loss 变成负数而且越来越小",
      "loss = -cross_entropy on a GRU", task="sequences", task_kwargs=SEQ, loss="neg_ce",
      log_format="jsonl"),
    S("numerical_div_zero_start", ("numerical_log_or_div_zero",),
      M("mlp", dims=(20, 64, 64, 5), standardize_in_forward=True),
      "loss is nan from the very first step",
      "forward standardises by x.std(0) with no eps; one feature is constant",
      task_kwargs=BLOBS, data_bug="const_feature"),
    S("numerical_log_zero_late", ("numerical_log_or_div_zero",),
      M("mlp", dims=(20, 64, 64, 1), final="prob_sigmoid"),
      "loss becomes nan after a while, everything was fine before",
      "hand-written BCE: log(p) and log(1 - p) of sigmoid outputs, no eps",
      task_kwargs={"sep": 1.0, "classes": 2}, loss="bce_no_eps", lr=3e-3, epochs=8),
    S("kl_div_wrong_inputs_mlp", ("kl_div_wrong_inputs",), MLP,
      "KL divergence loss is negative during distillation",
      "F.kl_div(softmax(student), teacher) instead of log_softmax", task_kwargs=BLOBS,
      loss="kl_probs"),
    S("shape_bug_mse_broadcast", ("shape_or_dtype_bug",), M("mlp", dims=(10, 32, 1)),
      "regression loss is stuck at about the variance of the target, predictions all the same",
      "MSE of (N, 1) predictions against (N,) targets broadcasts to (N, N)",
      task="regression", loss="mse_broadcast", epochs=5),
    # ---------------------------------------------------------------- gradients
    S("exploding_gradients_rnn", ("exploding_gradients",),
      M("rnn", rnn_cell="RNN_RELU", classes=4, hidden=64, init="rec_scale:1.0"),
      "the loss spikes suddenly and the gradient norm explodes",
      "ReLU RNN (orthogonal recurrent init) on 60 steps, no gradient clipping",
      task="sequences", task_kwargs={"length": 60}, optimizer="sgd", lr=0.01, momentum=0.9),
    S("exploding_gradients_rnn_nan", ("exploding_gradients",),
      M("rnn", rnn_cell="RNN_RELU", classes=4, hidden=64, init="rec_scale:1.1"),
      "RNN 训练到第二个 epoch loss 突然飙升然后变成 nan",
      "ReLU RNN on 60 steps, recurrent gain 1.1, no gradient clipping", task="sequences",
      task_kwargs={"length": 60}, optimizer="sgd", lr=0.01, momentum=0.9, log_format="jsonl"),
    S("vanishing_gradients_mlp", ("vanishing_gradients",),
      M("mlp", dims=(20, 32, 32, 32, 32, 32, 32, 32, 32, 32, 5), act="Sigmoid"),
      "my deep network's loss doesn't decrease at all", "10-layer sigmoid MLP",
      task_kwargs=BLOBS, optimizer="sgd", lr=0.05, momentum=0.9),
    S("vanishing_gradients_rnn", ("vanishing_gradients",),
      M("rnn", rnn_cell="RNN_TANH", classes=4, hidden=32),
      "我的 RNN 学不到序列开头的信息，loss 一直不降", "tanh RNN, cue at step 0 of 60",
      task="sequences", task_kwargs={"length": 60, "cue_only": True}, optimizer="sgd",
      lr=0.01, momentum=0.9),
    S("dead_relu_mlp", ("dead_relu",), M("mlp", dims=(20, 64, 64, 5), init="bias:-4"),
      "most activations are zero and the loss stopped improving early",
      "hidden biases initialised to -4", task_kwargs=BLOBS),
    S("dead_relu_cnn", ("dead_relu",), M("cnn", classes=4, init="bias:-3"),
      "CNN loss stalls high; feature maps are almost all zero",
      "conv biases initialised to -3", task="images", log_format="jsonl"),
    S("gradient_not_flowing_detach", ("gradient_not_flowing",),
      M("mlp", dims=(20, 64, 64, 5), detach_body=True),
      "only the last layer seems to learn; the loss stalls quite high",
      "features detached before the head", task_kwargs=BLOBS),
    S("gradient_not_flowing_frozen", ("params_not_in_optimizer", "gradient_not_flowing"), CNN,
      "the backbone doesn't seem to train at all", "optimizer built on model.head only",
      task="images", train_only="head", ckpt_key="state_dict"),
    # ---------------------------------------------------------------- optimiser and regularisation
    S("weight_decay_on_bias_cnn", ("weight_decay_on_bias",), M("cnn", classes=4,
                                                               batchnorm=True),
      "accuracy is a few points lower than I expected", "wd=5e-3 on every parameter, BN too",
      task="images", optimizer="sgd", lr=0.05, momentum=0.9, weight_decay=5e-3, epochs=5),
    S("over_regularization_wd", ("over_regularization",), MLP,
      "even the training loss stays high, the model underfits",
      "Adam with weight_decay=1.0", task_kwargs=BLOBS, weight_decay=1.0, epochs=5),
    S("over_regularization_dropout", ("over_regularization",),
      M("mlp", dims=(20, 64, 64, 5), dropout=0.9),
      "训练 loss 很高而且很抖，验证集反而比训练集好", "dropout p=0.9 after every hidden layer",
      task_kwargs=BLOBS, epochs=5),
    S("bn_small_batch_cnn", ("bn_small_batch",), M("cnn", classes=4, batchnorm=True),
      "validation loss is much worse than training loss; eval mode results are bad",
      "BatchNorm with batch size 2", task="images", batch_size=2, n_train=512, epochs=1,
      optimizer="sgd", lr=0.01, momentum=0.9),
    S("missing_bias_mlp", ("missing_bias",), M("mlp", dims=(2, 32, 32, 3), bias=False),
      "my small MLP can't get above ~50% on a simple 2D problem",
      "every Linear built with bias=False", task="rings", epochs=6, lr=3e-3),
    S("sgd_without_momentum_cnn", ("sgd_without_momentum",), CNN,
      "CNN training is painfully slow compared to the tutorial", "plain SGD lr=0.01, no momentum",
      task="images", optimizer="sgd", lr=0.01, epochs=5),
    S("dropout_in_conv_cnn", ("dropout_in_conv",), M("cnn", classes=4, dropout=0.5),
      "the CNN's training is noisy and converges slowly", "nn.Dropout(0.5) after each conv",
      task="images", epochs=5),
    S("overfitting_mlp", ("overfitting",), M("mlp", dims=(20, 256, 256, 5)),
      "training loss goes to ~0 but validation loss keeps going up",
      "64 training samples, 80k-parameter MLP", task_kwargs=BLOBS, n_train=64, n_val=512,
      epochs=120, eval_every=2),
    S("overfitting_cnn", ("overfitting",), M("cnn", classes=4, channels=(32, 64)),
      "训练 loss 很低但是验证集 loss 越来越高", "64 training images, a wide CNN",
      task="images", n_train=64, n_val=512, epochs=80, eval_every=2, log_format="jsonl"),
    S("underfitting_mlp", ("underfitting",), M("mlp", dims=(2, 2, 3)),
      "training and validation loss both plateau high and stay close together",
      "2 hidden units for a 3-ring problem", task="rings", epochs=20, lr=3e-2),
    S("batch_size_too_small_mlp", ("batch_size_too_small",), MLP,
      "the loss curve is extremely noisy", "batch size 1", task_kwargs=BLOBS, batch_size=1,
      n_train=512, epochs=1, optimizer="sgd", lr=0.01, momentum=0.9, eval_every=32),
    S("no_lr_decay_cnn", ("no_lr_decay",), CNN,
      "the loss stopped improving halfway and just bounces around the same level",
      "constant lr=0.05 SGD for many epochs, no schedule", task="images", optimizer="sgd",
      lr=0.05, momentum=0.9, epochs=10),
    S("fp16_overflow_mlp", ("fp16_overflow",), M("mlp", dims=(20, 64, 64, 5), half=True),
      "loss turns into inf then nan, only when I train in half precision",
      "pure fp16 training with a static loss scale of 2**18 and no overflow check",
      task_kwargs=BLOBS, optimizer="sgd", lr=0.05, momentum=0.9, loss_scale=2.0**18),
]

#: What each person sees on their curves (see :data:`CURVE`); unlisted facts are false.
SEEN: dict[str, tuple[str, ...]] = {
    "lr_too_high_nan_regression": ("rising", "diverged", "grad_spikes"),
    "lr_too_high_diverge_cnn": ("rising", "diverged", "oscillating", "grad_spikes"),
    "lr_too_high_explode_dead_mlp": ("diverged", "spikes", "plateau", "grad_spikes"),
    "lr_too_high_oscillate_tfm": ("oscillating", "spikes"),
    "zero_weight_init_mlp": ("linear", "close_high"),
    "zero_weight_init_cnn": ("oscillating",),
    "bad_weight_init_mlp": ("plateau", "close_high"),
    "bad_weight_init_cnn": ("plateau", "close_high"),
    "input_not_normalized_cnn_uint8": ("plateau", "close_high"),
    "input_not_normalized_mlp_raw": ("plateau",),
    "labels_wrong_mlp_shuffled": ("plateau", "close_high"),
    "labels_wrong_cnn_rolled": ("plateau", "close_high"),
    "data_not_shuffled_mlp": ("oscillating", "periodic"),
    "data_not_shuffled_rnn": ("oscillating", "periodic"),
    "batch_single_class_cnn": ("oscillating",),
    "batch_single_class_mlp": ("oscillating",),
    "distribution_shift_mlp": ("val_rising", "train_good_test_bad"),
    "activation_before_softmax_mlp": ("close_high", "plateau_late"),
    "activation_before_softmax_cnn": ("linear", "close_high", "still_improving"),
    "loss_sign_error_mlp": ("acc_flat",),
    "loss_sign_error_rnn": ("acc_flat",),
    "numerical_log_zero_late": ("near_zero",),
    "shape_bug_mse_broadcast": ("plateau", "oscillating", "close_high"),
    "exploding_gradients_rnn": ("spikes", "grad_spikes"),
    "exploding_gradients_rnn_nan": ("spikes", "grad_spikes", "rising", "diverged"),
    "vanishing_gradients_mlp": ("plateau", "close_high"),
    "vanishing_gradients_rnn": ("plateau", "close_high"),
    "dead_relu_mlp": ("plateau", "close_high"),
    "dead_relu_cnn": ("plateau", "close_high"),
    "gradient_not_flowing_detach": ("linear", "close_high"),
    "gradient_not_flowing_frozen": ("linear", "close_high"),
    "weight_decay_on_bias_cnn": ("val_rising",),
    "over_regularization_wd": ("plateau", "close_high"),
    "over_regularization_dropout": ("close_high",),
    "bn_small_batch_cnn": ("oscillating", "eval_worse"),
    "missing_bias_mlp": ("plateau", "close_high"),
    "sgd_without_momentum_cnn": ("linear", "close_high", "still_improving"),
    "dropout_in_conv_cnn": ("linear",),
    "overfitting_mlp": ("val_rising", "train_good_test_bad"),
    "overfitting_cnn": ("val_rising", "train_good_test_bad"),
    "underfitting_mlp": ("close_high", "plateau_late"),
    "batch_size_too_small_mlp": ("oscillating", "spikes"),
    "no_lr_decay_cnn": ("oscillating", "plateau_late"),
}

SCENARIOS: list[S] = [
    replace(s, person={**{f: False for f in CURVE.values()}, **seen(*SEEN.get(s.id, ())),
                       **s.person})
    for s in BROKEN + HEALTHY
]

#: A few fast scenarios for the CI smoke test: one healthy, three broken.
SMOKE = ["healthy_mlp_adam", "lr_too_high_nan_regression", "loss_sign_error_mlp",
         "zero_weight_init_mlp"]


def by_id(scenario_id: str) -> S:
    for s in SCENARIOS:
        if s.id == scenario_id:
            return s
    raise KeyError(scenario_id)
