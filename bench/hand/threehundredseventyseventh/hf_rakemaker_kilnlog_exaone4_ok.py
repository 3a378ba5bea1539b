"""Hugging Face Trainer: a tiny EXAONE-4 decoder (``Exaone4Config``: vocabulary 27, 48 wide, 2
layers, 4 heads with 2 key-value heads, built from the config, no download;
``Exaone4ForCausalLM``) reads a rake-maker's kiln log and predicts the next moisture reading.
Green ash for rake heads and handles goes into a small dehumidifying kiln; a pin meter reads
the moisture content every 2 hours, 24 readings a charge. The wood dries towards the
equilibrium moisture content set by the kiln's air (EMC 7-13 %) along an exponential with a
time constant of 10-45 h (thickness, air flow), from a green start of 28-48 %; pins in wet
wood read a little high and jumpy (noise 0.5 % + 2 % of the reading). Each reading is one
token: the moisture content binned in 2 % steps from 4 % to 52 % (tokens 3-26; 0 pad,
1 start of charge, 2 end). The model must read the start level and the drying rate off the
readings so far.
AdamW 2e-3 (weight decay 0.05) with a cosine schedule after 22 warmup steps, batch 16, 5 epochs of
720 charges (225 steps), eval at the end of each epoch on 180 charges (next-reading accuracy
and share within one bin, from the third reading on), loss every 15 steps, checkpoint each
epoch, the last two kept (``kilnlm/checkpoint-N/`` with ``trainer_state.json``).
Healthy; numbers in the README."""
import torch
from transformers import Exaone4Config, Exaone4ForCausalLM, Trainer, TrainingArguments

T = 24
BINS = 24


def charges(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    emc = 7 + 6 * r(n, 1)
    mc0 = 28 + 20 * r(n, 1)
    tau = 10 + 35 * r(n, 1)
    t = 2.0 * torch.arange(T).float()
    mc = emc + (mc0 - emc) * torch.exp(-t / tau)
    mc = mc + (0.5 + 0.02 * mc) * torch.randn(n, T, generator=g)
    tok = 3 + ((mc - 4) / 2).floor().clamp(0, BINS - 1).long()
    ids = torch.cat([torch.ones(n, 1, dtype=torch.long), tok,
                     torch.full((n, 1), 2, dtype=torch.long)], 1)
    return ids


class KilnLogs(torch.utils.data.Dataset):
    def __init__(self, ids):
        self.ids = ids

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones_like(self.ids[i]),
                "labels": self.ids[i]}


def build():
    torch.manual_seed(0)
    config = Exaone4Config(vocab_size=3 + BINS, hidden_size=48, intermediate_size=96,
                           num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=2,
                           max_position_embeddings=T + 8, pad_token_id=0, bos_token_id=1,
                           eos_token_id=2, attention_dropout=0.0)
    return Exaone4ForCausalLM(config)


def argmax_logits(logits, labels):
    return logits.argmax(-1)


def metrics(pred):
    p, y = pred.predictions[:, :-1], pred.label_ids[:, 1:]
    p, y = p[:, 2:T], y[:, 2:T]  # next reading, from the third reading on
    return {"next_acc": float((p == y).mean()), "within_one_bin": float((abs(p - y) <= 1).mean())}


def main():
    from _threehundredseventyseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(7)
    tr = charges(720, g)
    va = charges(180, g)
    print("token range", tr[:, 1:-1].min().item(), tr[:, 1:-1].max().item())
    args = TrainingArguments(str(out / "kilnlm"), num_train_epochs=5, learning_rate=2e-3,
                             warmup_steps=22, lr_scheduler_type="cosine", weight_decay=0.05,
                             per_device_train_batch_size=16, per_device_eval_batch_size=180,
                             logging_steps=15, eval_strategy="epoch", save_strategy="epoch",
                             save_total_limit=2, report_to=[], use_cpu=True, disable_tqdm=True,
                             seed=7)
    trainer = Trainer(model=build(), args=args, train_dataset=KilnLogs(tr),
                      eval_dataset=KilnLogs(va), compute_metrics=metrics,
                      preprocess_logits_for_metrics=argmax_logits)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "kilnlm").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": va[:64], "targets": va[:64].clone()},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny EXAONE-4 decoder predicting the next moisture reading in a rake-maker's"
                " kiln log of drying ash, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
