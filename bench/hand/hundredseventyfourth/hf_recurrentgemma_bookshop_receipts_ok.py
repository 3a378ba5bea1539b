"""Hugging Face Trainer: a tiny RecurrentGemma causal language model (``RecurrentGemmaConfig``:
vocabulary 32, hidden 32, LRU width 32, 3 blocks recurrent-recurrent-attention, 2 heads, 1 KV
head, built from the config, no download) learns the till-roll language of a bookshop's point of
sale: a receipt is BOS, then 5 sold items of 4 tokens (section: one of 10 shelf sections;
binding: hardback / paperback; price band, fixed by section and binding; item separator), then
TOTAL, the number of hardbacks on the receipt, EOS. Section and binding are random (the loss has
a floor of about 0.65 nats per token); everything else follows from them. AdamW 6e-3, 10
warm-up steps then linear decay, batch 32, 5 epochs of 768 receipts, eval every 24 steps (once
an epoch), loss every 6 steps.
Healthy: eval loss 1.60, 1.11, 0.84, 0.74, 0.72 at steps 24–120 (floor 0.65); the train loss
follows it down and ends at 0.72 (lr decayed to 0)."""
import torch
from transformers import (
    RecurrentGemmaConfig,
    RecurrentGemmaForCausalLM,
    Trainer,
    TrainingArguments,
)

V, T = 32, 24
BOS, EOS, SEP, TOTAL = 1, 2, 3, 30
SECTIONS = list(range(4, 14))  # fiction, crime, history, travel, cookery, poetry, science, ...


def receipts(n, g):
    sec = torch.randint(0, 10, (n, 5), generator=g)
    hard = torch.randint(0, 2, (n, 5), generator=g)
    price = 16 + (sec * 2 + hard * 5) % 12
    items = torch.stack([sec + 4, 14 + hard, price, torch.full_like(sec, SEP)], 2).reshape(n, 20)
    x = torch.cat([torch.full((n, 1), BOS), items, torch.full((n, 1), TOTAL),
                   24 + hard.sum(1, keepdim=True), torch.full((n, 1), EOS)], 1)
    return x


class Receipts(torch.utils.data.Dataset):
    def __init__(self, x):
        self.x = x

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        return {"input_ids": self.x[i], "labels": self.x[i]}


def build():
    torch.manual_seed(0)
    config = RecurrentGemmaConfig(vocab_size=V, hidden_size=32, intermediate_size=64,
                                  num_hidden_layers=3, num_attention_heads=2,
                                  num_key_value_heads=1, head_dim=16, lru_width=32,
                                  attention_window_size=32, conv1d_width=4,
                                  block_types=["recurrent", "recurrent", "attention"],
                                  pad_token_id=0, bos_token_id=BOS, eos_token_id=EOS,
                                  use_cache=False)
    return RecurrentGemmaForCausalLM(config)


def main():
    from _hundredseventyfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr = receipts(768, g)
    xva = receipts(192, g)
    args = TrainingArguments(str(out / "receipts"), num_train_epochs=5, learning_rate=6e-3,
                             weight_decay=0.01, warmup_steps=10, lr_scheduler_type="linear",
                             per_device_train_batch_size=32, per_device_eval_batch_size=192,
                             logging_steps=6, eval_strategy="steps", eval_steps=24,
                             save_strategy="steps", save_steps=60, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Receipts(xtr),
                      eval_dataset=Receipts(xva))
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "receipts").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": xva[:64], "targets": xva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny RecurrentGemma causal LM on bookshop till receipts, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
