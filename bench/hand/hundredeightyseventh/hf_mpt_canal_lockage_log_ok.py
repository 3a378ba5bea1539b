"""Hugging Face Trainer: a tiny MPT text classifier (``MptConfig``: vocabulary 28, d_model 32,
2 layers, 2 heads, ALiBi, built from the config, no download) reads a canal lock's event log
for one lock cycle, 20 tokens from the lock keeper's panel (paddle up / down at the top or
bottom gate, gates open / shut, vessel in / out, level equal, horn, rope on, ...), and says
what the cycle was: an upbound lockage (vessel in at the bottom, chamber filled, out at the
top), a downbound lockage (in at the top, emptied, out at the bottom) or a turn-round with no
vessel (the chamber just filled or emptied for the next boat). The same tokens occur in all
three; only their order and the gate they refer to decide. Routine tokens (horn, rope on,
level check, ...) fill the rest at random, plus 5 % wrong labels in training.
AdamW 3e-3, weight decay 0.01, 10 warm-up steps then linear decay, batch 32, 6 epochs of 640
logs, eval every 20 steps, loss every 5 steps.
Healthy: eval accuracy 1.00, 1.00, 0.969, 0.984, 1.00, 0.99 at steps 20–120 (one eval an
epoch), eval loss 0.256, 0.061, 0.119, 0.080, 0.033, 0.052; the train loss (every 5 steps)
falls 1.05 → 0.3 in 25 steps and then stays noisy at 0.08–0.37, above the eval loss (the 5 %
wrong labels)."""
import torch
from transformers import MptConfig, MptForSequenceClassification, Trainer, TrainingArguments

V, T = 28, 20
ROUTINE = list(range(16, 28))
# 3 bottom paddles up, 4 bottom paddles down, 5 bottom gates open, 6 bottom gates shut,
# 7 top paddles up, 8 top paddles down, 9 top gates open, 10 top gates shut,
# 11 vessel in, 12 vessel out, 13 level equal
UP = [5, 11, 6, 7, 13, 9, 12, 10]
DOWN = [9, 11, 10, 3, 13, 5, 12, 6]
TURN = [[7, 13, 8], [3, 13, 4]]


def cycles(n, g, flip=0.0):
    x = torch.tensor(ROUTINE)[torch.randint(0, len(ROUTINE), (n, T), generator=g)]
    y = torch.randint(0, 3, (n,), generator=g)
    for i in range(n):
        ev = UP if y[i] == 0 else DOWN if y[i] == 1 else TURN[int(torch.randint(0, 2, (1,),
                                                                                generator=g))]
        keep = sorted(torch.randperm(T - 1, generator=g)[:len(ev)].tolist())
        for p, e in zip(keep, ev, strict=True):
            x[i, p + 1] = e
    x[:, 0] = 1  # start-of-cycle marker
    wrong = torch.rand(n, generator=g) < flip
    y = torch.where(wrong, (y + torch.randint(1, 3, (n,), generator=g)) % 3, y)
    return x, y


class Cycles(torch.utils.data.Dataset):
    def __init__(self, x, y):
        self.x, self.y = x, y

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        return {"input_ids": self.x[i], "labels": self.y[i]}


def build():
    torch.manual_seed(0)
    config = MptConfig(vocab_size=V, d_model=32, n_heads=2, n_layers=2, expansion_ratio=2,
                       max_seq_len=32, pad_token_id=0, num_labels=3,
                       id2label={0: "upbound", 1: "downbound", 2: "turn_round"},
                       label2id={"upbound": 0, "downbound": 1, "turn_round": 2})
    return MptForSequenceClassification(config)


def accuracy(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    return {"accuracy": float((logits.argmax(-1) == pred.label_ids).mean())}


def main():
    from _hundredeightyseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = cycles(640, g, flip=0.05)
    xva, yva = cycles(192, g)
    args = TrainingArguments(str(out / "lockage"), num_train_epochs=6, learning_rate=3e-3,
                             weight_decay=0.01, warmup_steps=10, lr_scheduler_type="linear",
                             per_device_train_batch_size=32, per_device_eval_batch_size=192,
                             logging_steps=5, eval_strategy="steps", eval_steps=20,
                             save_strategy="steps", save_steps=60, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Cycles(xtr, ytr),
                      eval_dataset=Cycles(xva, yva), compute_metrics=accuracy)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "lockage").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": xva[:64], "targets": yva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny MPT canal lock-cycle classifier over event logs, HF Trainer, 5 % noisy"
                " labels (healthy)")


if __name__ == "__main__":
    main()
