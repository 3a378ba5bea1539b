"""Hugging Face Trainer: a tiny GLM-4 decoder (``Glm4ForSequenceClassification`` from a
``Glm4Config``: vocab 28, hidden 32, 2 layers, 4 heads, 2 KV heads, head_dim 8, built from the
config, no pre-training, no download) reads restaurant HACCP cooling logs. A batch of cooked
food (stock, rice, chilli) must cool from 57 °C to 21 °C within 2 hours and to 5 °C within 6
hours in total; the probe logs the core temperature every 15 minutes (25 readings). Each
reading is one token: the core temperature binned in 3 °C steps (tokens 4–23), or an event
(STIR, ICE_BATH, LID_ON, PROBE_OUT; tokens 24–27; 0 = pad, 1 = start). Four classes the
inspector's checklist uses: pass, stage-1 fail (still above 21 °C at 2 h), stage-2 fail (above
5 °C at 6 h) and probe error (the probe pulled out: readings jump to room temperature and back).
The model has to find the 2-h and 6-h positions, so order matters. 3 % of the training labels
are wrong (tick-box mistakes on the paper log). AdamW 3e-3, weight decay 0.01, 10 warm-up steps
then linear decay, batch 32, 6 epochs of 960 logs (180 steps), eval every 15 steps, the loss
logged every 5 steps. Healthy: eval accuracy 0.84 at step 15, 0.99 at 45, 1.0 from step 90
(0.988 once, at 135), eval loss 0.69 -> 0.15 -> 0.044 at step 180, while the logged train loss
stays near 0.19 at the end (the 3 % wrong labels sit only in training)."""
import math

import torch
from transformers import Glm4Config, Glm4ForSequenceClassification, Trainer, TrainingArguments

N_READ, BIN0, NBIN = 25, 4, 20
STIR, ICE_BATH, LID_ON, PROBE_OUT = 24, 25, 26, 27
CLASSES = ["pass", "stage1_fail", "stage2_fail", "probe_error"]


def cooling_logs(n, g, flip=0.0):
    r = lambda: float(torch.rand(1, generator=g))  # noqa: E731
    ri = lambda a, b: int(torch.randint(a, b, (1,), generator=g))  # noqa: E731
    y = torch.randint(0, 4, (n,), generator=g)
    seqs = torch.zeros(n, N_READ + 1, dtype=torch.long)
    t = torch.arange(N_READ).float() * 0.25  # hours
    for i in range(n):
        k = int(y[i])
        start = 60 + 8 * r()
        if k == 2:  # fast first stage, then stalls in a full walk-in
            k1, k2 = 0.75 + 0.3 * r(), 0.12 + 0.08 * r()
        elif k == 1:  # too slow from the start (deep pot, no ice bath)
            k1, k2 = 0.28 + 0.12 * r(), 0.3 + 0.2 * r()
        else:
            k1, k2 = 0.75 + 0.4 * r(), 0.55 + 0.25 * r()
        amb = 2.0 + 1.5 * r()
        temp = torch.where(t <= 2, amb + (start - amb) * torch.exp(-k1 * t),
                           amb + (start - amb) * math.exp(-k1 * 2.0) * torch.exp(-k2 * (t - 2)))
        temp = temp + 0.6 * torch.randn(N_READ, generator=g)
        events = {}
        if r() < 0.5:
            events[ri(1, 6)] = STIR
        if r() < 0.4 and k != 1:
            events[ri(0, 3)] = ICE_BATH
        if r() < 0.3:
            events[ri(10, N_READ)] = LID_ON
        if k == 3:
            t0 = ri(3, N_READ - 4)
            events[t0] = PROBE_OUT
            temp[t0 + 1:t0 + 1 + ri(1, 3)] = 19 + 4 * r()
        tok = (BIN0 + ((temp + 1) / 3).floor().clamp(0, NBIN - 1)).long()
        for tt, e in events.items():
            tok[tt] = e
        seqs[i, 0] = 1
        seqs[i, 1:] = tok
    wrong = torch.rand(n, generator=g) < flip
    y = torch.where(wrong, (y + torch.randint(1, 4, (n,), generator=g)) % 4, y)
    return seqs, y


class Logs(torch.utils.data.Dataset):
    def __init__(self, x, y):
        self.x, self.y = x, y

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        return {"input_ids": self.x[i], "labels": self.y[i]}


def build():
    torch.manual_seed(0)
    config = Glm4Config(vocab_size=28, hidden_size=32, intermediate_size=64, num_hidden_layers=2,
                        num_attention_heads=4, num_key_value_heads=2, head_dim=8,
                        max_position_embeddings=32, pad_token_id=0, bos_token_id=1,
                        eos_token_id=2, num_labels=4, id2label=dict(enumerate(CLASSES)),
                        label2id={c: i for i, c in enumerate(CLASSES)})
    return Glm4ForSequenceClassification(config)


def accuracy(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    return {"accuracy": float((logits.argmax(-1) == pred.label_ids).mean())}


def main():
    from _hundredfortythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = cooling_logs(960, g, flip=0.03)
    xva, yva = cooling_logs(256, g)
    args = TrainingArguments(str(out / "haccp"), num_train_epochs=6, learning_rate=3e-3,
                             weight_decay=0.01, warmup_steps=10, lr_scheduler_type="linear",
                             per_device_train_batch_size=32, per_device_eval_batch_size=256,
                             logging_steps=5, eval_strategy="steps", eval_steps=15,
                             save_strategy="steps", save_steps=90, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Logs(xtr, ytr),
                      eval_dataset=Logs(xva, yva), compute_metrics=accuracy)
    trainer.train()
    print(trainer.evaluate())
    for h in trainer.state.log_history:
        if "eval_loss" in h:
            print(h["step"], round(h["eval_loss"], 4), h["eval_accuracy"])
    last = max((out / "haccp").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": xva[:64], "targets": yva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny GLM-4 decoder, HACCP cooling logs, HF Trainer, 3 % label noise (healthy)")


if __name__ == "__main__":
    main()
