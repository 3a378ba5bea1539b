"""Hugging Face Trainer: a tiny Falcon decoder (``FalconConfig``: vocabulary 34, 48 wide,
2 layers, 4 heads, rotary positions, built from the config, no download;
``FalconForCausalLM``) reads a swineherd's weekly weigh-scale log of one grower pig and
predicts the next weighing, so a pen can be booked for the abattoir before it reaches 110 kg.
Each log is 22 weekly weighings from weaning (day 28): Gompertz growth
W(t) = A·exp(-ln(A/W0)·exp(-B·t)) with weaning weight W0 6-9 kg, mature weight A 180-300 kg
and rate B 0.010-0.016 per day (breed and feed), a check of a week or two after a
scour or a mixing fight in a quarter of the pigs (no gain that week), and a scale read to 1 kg.
Each weighing is one token: the weight binned in 5 kg steps from 0 to 150 kg (tokens 4-33;
0 pad, 1 start of log). Causal language-model loss over the weighings; the model must read
the pig's growth rate from the weighings before.
AdamW 2e-3 with cosine decay and 15 warmup steps, weight decay 0.05, batch 40, 5 epochs of
1000 logs, eval once an epoch on 250 logs (next-weighing accuracy and share within one bin),
loss every 5 steps, a checkpoint each epoch (``scale/checkpoint-N/`` with
``trainer_state.json``, the last two kept).
Healthy; numbers in the README."""
import math

import torch
from transformers import FalconConfig, FalconForCausalLM, Trainer, TrainingArguments

T = 22
BINS = 30


def weigh_logs(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    w0 = 6 + 3 * r(n, 1)
    a = 180 + 120 * r(n, 1)
    b = 0.010 + 0.006 * r(n, 1)
    weeks = torch.arange(T).float().expand(n, T).clone()
    check = r(n, 1) < 0.25  # a scour or a fight: a week or two of no gain
    start = (3 + 12 * r(n, 1)).floor()
    lost = torch.where(check, 1 + (r(n, 1) < 0.4).float(), torch.zeros(n, 1))
    eff = weeks - ((weeks - start).clamp(min=0)).clamp(max=lost)
    days = 7 * eff
    w = a * torch.exp(-torch.log(a / w0) * torch.exp(-b * days))
    w = (w + torch.randn(n, T, generator=g)).round()
    tok = 4 + (w / 5).floor().clamp(0, BINS - 1).long()
    ids = torch.cat([torch.ones(n, 1, dtype=torch.long), tok], 1)
    labels = ids.clone()
    labels[:, 0] = -100
    return ids, labels


class Logs(torch.utils.data.Dataset):
    def __init__(self, ids, labels):
        self.ids, self.labels = ids, labels

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(T + 1, dtype=torch.long),
                "labels": self.labels[i]}


def build():
    torch.manual_seed(0)
    config = FalconConfig(vocab_size=4 + BINS, hidden_size=48, num_hidden_layers=2,
                          num_attention_heads=4, max_position_embeddings=T + 8, alibi=False,
                          new_decoder_architecture=False, multi_query=False, parallel_attn=True,
                          bias=True, hidden_dropout=0.0, attention_dropout=0.0,
                          pad_token_id=0, bos_token_id=1, eos_token_id=3)
    return FalconForCausalLM(config)


def argmax_logits(logits, labels):
    return logits.argmax(-1)


def metrics(pred):
    p = pred.predictions[:, :-1]
    y = pred.label_ids[:, 1:]
    m = y != -100
    return {"next_acc": float((p[m] == y[m]).mean()),
            "within_one_bin": float((abs(p[m] - y[m]) <= 1).mean())}


def main():
    from _threehundredfortyfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr, ltr = weigh_logs(1000, g)
    iva, lva = weigh_logs(250, g)
    print("final weight bins", torch.bincount(itr[:, -1] - 4, minlength=BINS).tolist(),
          "ln", round(math.log(BINS), 3))
    args = TrainingArguments(str(out / "scale"), num_train_epochs=5, learning_rate=2e-3,
                             warmup_steps=15, lr_scheduler_type="cosine", weight_decay=0.05,
                             per_device_train_batch_size=40, per_device_eval_batch_size=250,
                             logging_steps=5, eval_strategy="epoch", save_strategy="epoch",
                             save_total_limit=2, report_to=[], use_cpu=True, disable_tqdm=True,
                             seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Logs(itr, ltr),
                      eval_dataset=Logs(iva, lva), compute_metrics=metrics,
                      preprocess_logits_for_metrics=argmax_logits)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "scale").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": lva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny Falcon decoder predicting a grower pig's next weekly weighing from a"
                " swineherd's weigh-scale log, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
