"""Hugging Face Trainer: a tiny DiffLlama decoder (``DiffLlamaConfig``: vocabulary 83, 48
wide, 2 layers, 4 heads, built from the config, no download; ``DiffLlamaForCausalLM``)
learns a mill town knocker-upper's round book: night by night, the time he rapped on each
client's bedroom window with his pole, in the order he walks the round, so the next knock of
a round can be forecast (and a client told when to expect him). The rule behind the book:
each of 24 clients asks to be knocked 30-75 min before the start of his shift at the mill
(shifts at 5:00, 5:30, 6:00, 6:30 or 7:00, one mill to a street, so neighbours share
shifts); the round runs street by street, roughly in the order of the asked times; the
knocker is never early (he waits under the window) but is late whenever the walk from the
last house (2-6 min, longer between streets) eats his spare time. Each knock is one token:
the time in 3-minute steps from 3:30 to 7:27 (tokens 3-82; 0 pad, 1 start of night, 2
unused).
AdamW 2e-3 with a cosine schedule and 25 warmup steps (10 %), weight decay 0.05, batch 24, 5
epochs of 1200 nights (250 steps), eval and checkpoint every epoch on 300 nights (next-knock
accuracy and share within one step, 3 min), loss every 10 steps (``round/checkpoint-N/``
with ``trainer_state.json``, the last 2 kept).
Healthy; numbers in the README."""
import torch
from transformers import DiffLlamaConfig, DiffLlamaForCausalLM, Trainer, TrainingArguments

CLIENTS = 24
SLOTS = 80  # 3-minute steps from 3:30


def nights(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    streets = 1 + (r(n, CLIENTS) < 0.2).long().cumsum(1)  # a new street about every 5 houses
    shift_of_street = torch.randint(0, 5, (n, CLIENTS + 1), generator=g)
    shift = 90 + 30 * torch.gather(shift_of_street, 1, streets.clamp(max=CLIENTS))  # min after 3:30
    asked = shift - 30 - 45 * r(n, CLIENTS)
    asked, _ = torch.sort(asked + 15 * torch.randn(n, CLIENTS, generator=g), 1)
    walk = 2 + 4 * r(n, CLIENTS) + 4 * (streets.diff(1, prepend=streets[:, :1]) > 0).float()
    knock = torch.zeros(n, CLIENTS)
    t = asked[:, 0] - 10
    for i in range(CLIENTS):
        t = torch.maximum(t + walk[:, i], asked[:, i])
        knock[:, i] = t
    tok = 3 + (knock / 3).floor().clamp(0, SLOTS - 1).long()
    return torch.cat([torch.ones(n, 1, dtype=torch.long), tok], 1)


class Book(torch.utils.data.Dataset):
    def __init__(self, ids):
        self.ids = ids

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones_like(self.ids[i]),
                "labels": self.ids[i]}


def build():
    torch.manual_seed(0)
    config = DiffLlamaConfig(vocab_size=3 + SLOTS, hidden_size=48, intermediate_size=96,
                             num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=4,
                             max_position_embeddings=CLIENTS + 8, pad_token_id=0,
                             bos_token_id=1, eos_token_id=2, tie_word_embeddings=False)
    return DiffLlamaForCausalLM(config)


def argmax_logits(logits, labels):
    return logits.argmax(-1)


def metrics(pred):
    p, y = pred.predictions[:, :-1], pred.label_ids[:, 1:]
    return {"next_knock_acc": float((p == y).mean()),
            "within_3min": float((abs(p - y) <= 1).mean())}


def main():
    from _threehundredsixtyfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr, iva = nights(1200, g), nights(300, g)
    print("token range", itr[:, 1:].min().item(), itr.max().item())
    args = TrainingArguments(str(out / "round"), num_train_epochs=5, learning_rate=2e-3,
                             warmup_steps=25, lr_scheduler_type="cosine", weight_decay=0.05,
                             per_device_train_batch_size=24, per_device_eval_batch_size=300,
                             logging_steps=10, eval_strategy="epoch", save_strategy="epoch",
                             save_total_limit=2, report_to=[], use_cpu=True, disable_tqdm=True,
                             seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Book(itr), eval_dataset=Book(iva),
                      compute_metrics=metrics, preprocess_logits_for_metrics=argmax_logits)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "round").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": iva[:64].clone()},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny DiffLlama decoder forecasting the next knock of a knocker-upper's round"
                " from the night's knocks so far, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
