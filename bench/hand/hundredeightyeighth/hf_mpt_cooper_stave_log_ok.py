"""Hugging Face Trainer: a tiny MPT text classifier (``MptConfig``: vocabulary 20, d_model 32,
2 layers, 2 heads, ALiBi, built from the config, no download) reads the inspection log a
cooperage writes as a barrel goes round the raising and toasting stations — 18 codes, one per
check (tight grain, fine grain, medium toast, heavy toast, hoop seated, head fitted, ... and
three fault codes: split stave, loose hoop, weeping joint) — and decides sound / rework /
reject. Sound: no fault code; rework: exactly one loose hoop or weeping joint; reject: a split
stave, or two or more faults of any kind, anywhere in the log. 4 % of the decisions are
wrong (inspectors disagree). AdamW 2e-3, 20 warm-up steps then cosine decay, batch 32, 8 epochs
of 768 logs, eval every 24 steps (once an epoch), loss every 6 steps, a checkpoint every 48.
Healthy: a slow start (eval accuracy 0.49 after epoch 1, eval loss 1.03, then 0.67), then
0.98 at epoch 3 and 1.00 from epoch 4 to 8, eval loss 0.038 at the end (checkpoint-192); the
train loss stays well above it (0.09–0.17 over the last epochs: the 4 % wrong decisions)."""
import sys

import torch
from transformers import MptConfig, MptForSequenceClassification, Trainer, TrainingArguments

V, T = 20, 18
OK_CODES = list(range(3, 12))
SPLIT, LOOSE, WEEP = 12, 13, 14


def logs(n, g, flip=0.0):
    x = torch.tensor(OK_CODES)[torch.randint(0, len(OK_CODES), (n, T), generator=g)]
    y = torch.randint(0, 3, (n,), generator=g)
    for i in range(n):
        if y[i] == 1:
            faults = [LOOSE if torch.rand(1, generator=g) < 0.5 else WEEP]
        elif y[i] == 2:
            k = int(torch.randint(1, 4, (1,), generator=g))
            faults = [[SPLIT, LOOSE, WEEP][int(j)] for j in torch.randint(0, 3, (k,), generator=g)]
            if k == 1:
                faults = [SPLIT]
        else:
            faults = []
        pos = torch.randperm(T - 1, generator=g)[:len(faults)] + 1
        for p, c in zip(pos.tolist(), faults, strict=True):
            x[i, p] = c
    x[:, 0] = 1  # "barrel raised" code that opens every log
    wrong = torch.rand(n, generator=g) < flip
    y = torch.where(wrong, (y + torch.randint(1, 3, (n,), generator=g)) % 3, y)
    return x, y


class StaveLogs(torch.utils.data.Dataset):
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
                       id2label={0: "sound", 1: "rework", 2: "reject"},
                       label2id={"sound": 0, "rework": 1, "reject": 2})
    return MptForSequenceClassification(config)


def accuracy(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    return {"accuracy": float((logits.argmax(-1) == pred.label_ids).mean())}


def main():
    sys.path.insert(0, __file__.rsplit("/", 1)[0])
    from _hundredeightyeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = logs(768, g, flip=0.04)
    xva, yva = logs(192, g)
    args = TrainingArguments(str(out / "staves"), num_train_epochs=8, learning_rate=2e-3,
                             weight_decay=0.01, warmup_steps=20, lr_scheduler_type="cosine",
                             per_device_train_batch_size=32, per_device_eval_batch_size=192,
                             logging_steps=6, eval_strategy="steps", eval_steps=24,
                             save_strategy="steps", save_steps=48, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=StaveLogs(xtr, ytr),
                      eval_dataset=StaveLogs(xva, yva), compute_metrics=accuracy)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "staves").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": xva[:64], "targets": yva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny MPT cooperage inspection-log classifier (sound / rework / reject), HF"
                " Trainer, 4 % noisy decisions (healthy)")


if __name__ == "__main__":
    main()
