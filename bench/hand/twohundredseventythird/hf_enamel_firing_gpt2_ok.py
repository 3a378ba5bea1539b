"""Hugging Face Trainer: a tiny GPT-2 token tagger (``GPT2Config``: vocabulary 24, 2 layers, 4
heads, width 32, context 40, 3 labels, built from the config, no download) reads a kiln log
while a copper enamel piece is fired, one reading every 10 s, and tags each reading with the
state of the enamel so far: 0 = still sugary / orange peel, 1 = matured (glossy, flowed),
2 = overfired (burnt at the edges, colour gone). A reading is the kiln temperature in 10 °C
bins from 640 °C (ids 2-21), id 22 = door opened to look, id 23 = piece out. The enamel matures
once the heat-work (the sum over readings of the degrees above 700 °C, less when the door was
open) passes a threshold and burns once it passes a higher one; a causal model sees only the
log up to that reading, as the enameller does at the kiln. Runs: kiln set 740-860 °C, piece
in at a random time, a door check now and then. AdamW 2e-3, linear decay with 30 warmup
steps, batch 32, 10 epochs of 1000 firings, eval every 80 steps on 250 firings (reading acc,
matured-reading F1), loss every 20 steps, checkpoint every 80 steps (``firings/checkpoint-N/``
with ``trainer_state.json``).
Healthy; numbers in the README."""
import torch
from transformers import GPT2Config, GPT2ForTokenClassification, Trainer, TrainingArguments

READINGS = 40


def firings(n, g):
    setp = 740 + 120 * torch.rand(n, 1, generator=g)
    start = 700 + 40 * torch.rand(n, 1, generator=g)
    t = torch.arange(READINGS).float()[None]
    temp = setp - (setp - start) * torch.exp(-t / 4) + 4 * torch.randn(n, READINGS, generator=g)
    door = torch.rand(n, READINGS, generator=g) < 0.08
    temp = torch.where(door, temp - 40, temp)
    ids = ((temp - 640) / 10).floor().clamp(0, 19).long() + 2
    ids = torch.where(door, torch.full_like(ids, 22), ids)
    work = torch.where(door, torch.zeros_like(temp),
                       (((ids - 2).float() * 10 + 645) - 700).clamp(min=0)).cumsum(1)
    state = (work > 1800).long() + (work > 4200).long()
    return ids, state


class Firings(torch.utils.data.Dataset):
    def __init__(self, ids, labels):
        self.ids, self.labels = ids, labels

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "labels": self.labels[i]}


def build():
    torch.manual_seed(0)
    config = GPT2Config(vocab_size=24, n_positions=READINGS, n_embd=32, n_layer=2, n_head=4,
                        n_inner=64, num_labels=3, resid_pdrop=0.0, embd_pdrop=0.0,
                        attn_pdrop=0.0, classifier_dropout=0.0, bos_token_id=0,
                        eos_token_id=0, pad_token_id=0)
    return GPT2ForTokenClassification(config)


def metrics(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    p, y = logits.argmax(-1).reshape(-1), pred.label_ids.reshape(-1)
    tp = ((p == 1) & (y == 1)).sum()
    f1 = 2 * tp / max(1, (p == 1).sum() + (y == 1).sum())
    return {"reading_acc": float((p == y).mean()), "matured_f1": float(f1)}


def main():
    from _twohundredseventythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr, ltr = firings(1000, g)
    iva, lva = firings(250, g)
    print("state shares", torch.bincount(ltr.reshape(-1), minlength=3) / ltr.numel())
    args = TrainingArguments(str(out / "firings"), num_train_epochs=10, learning_rate=2e-3,
                             weight_decay=0.0, warmup_steps=30, lr_scheduler_type="linear",
                             per_device_train_batch_size=32, per_device_eval_batch_size=250,
                             logging_steps=20, eval_strategy="steps", eval_steps=80,
                             save_strategy="steps", save_steps=80, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Firings(itr, ltr),
                      eval_dataset=Firings(iva, lva), compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "firings").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": lva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny GPT-2 tagging each kiln reading with an enamel's firing state, HF Trainer "
                "(healthy)")


if __name__ == "__main__":
    main()
